// One InboxApi call: its arguments validated with the shared schema (the same for IPC and WebSocket),
// then run; the result or the failure goes back as data, never as a thrown error.
import type { z, ZodType } from 'zod'
import { INBOX_API_ARGS, type InboxCallName, type InboxResult } from '../../shared/inbox-api.ts'
import { toInboxError } from './inbox-errors.ts'

export type CallArgs<K extends InboxCallName> = z.output<(typeof INBOX_API_ARGS)[K]>

export async function runInboxCall<K extends InboxCallName, T>(
  name: K,
  rawArgs: unknown,
  run: (args: CallArgs<K>) => T | Promise<T>
): Promise<InboxResult<T>> {
  const parsed = (INBOX_API_ARGS[name] as ZodType).safeParse(rawArgs)
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ')
    return { ok: false, error: { code: 'invalid_argument', message: `Invalid arguments for ${name}: ${detail}` } }
  }
  return settleInboxCall(() => run(parsed.data as CallArgs<K>))
}

/** Runs work whose arguments are already checked; its failure becomes data with a message for the creator. */
export async function settleInboxCall<T>(run: () => T | Promise<T>): Promise<InboxResult<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error: toInboxError(error) }
  }
}
