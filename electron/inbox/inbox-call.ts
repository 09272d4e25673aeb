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
  if (!parsed.success) return { ok: false, error: { code: 'invalid_argument', message: invalidArgumentsMessage(name, parsed.error.issues) } }
  return settleInboxCall(() => run(parsed.data as CallArgs<K>))
}

/**
 * What a refused call tells the renderer. The shared schemas' own checks (`custom` issues, e.g. "The relay
 * address must start with https://") are written for the creator and are shown as they are; anything else
 * (a wrong type, a missing field) is a programming error, reported with the field for the developer.
 */
function invalidArgumentsMessage(name: string, issues: readonly z.core.$ZodIssue[]): string {
  const forTheCreator = issues.filter((issue) => issue.code === 'custom').map((issue) => issue.message)
  if (forTheCreator.length > 0) return forTheCreator.join(' ')
  return `Invalid arguments for ${name}: ${issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ')}`
}

/** Runs work whose arguments are already checked; its failure becomes data with a message for the creator. */
export async function settleInboxCall<T>(run: () => T | Promise<T>): Promise<InboxResult<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error: toInboxError(error) }
  }
}
