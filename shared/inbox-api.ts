// The contract between the inbox core (main process) and the renderer: the calls the renderer may
// make (`InboxApi`), the pushes it receives (`InboxEvents`), and a zod schema for every call's
// arguments, so Electron's IPC and web mode's WebSocket validate in exactly the same way.
// Nothing here carries the API key or a webhook secret: they never leave the main process.
// Each capability defines its part in shared/inbox-api/<capability>.ts; this file puts them together.
import type { z } from 'zod'
import type { InboxCallName } from './inbox-calls.ts'
import { COMMENTS_API_ARGS, type CommentsInboxApi, type CommentsInboxEvents } from './inbox-api/comments.ts'
import { CORE_API_ARGS, type CoreInboxApi, type CoreInboxEvents, type ThreadMessage } from './inbox-api/core.ts'
import { INTERACTIVE_API_ARGS, type InteractiveInboxApi } from './inbox-api/interactive.ts'
import type { InboxResult } from './inbox-api/results.ts'
import { SAVED_REPLIES_API_ARGS, type SavedRepliesInboxApi, type SavedRepliesInboxEvents } from './inbox-api/saved-replies.ts'
import { TRIAGE_API_ARGS, type TriageInboxApi, type TriageInboxEvents } from './inbox-api/triage.ts'

export type { InboxCallName } from './inbox-calls.ts'
export * from './inbox-api/results.ts'
export * from './inbox-api/core.ts'
export * from './inbox-api/interactive.ts'
export * from './inbox-api/comments.ts'
export * from './inbox-api/triage.ts'
export * from './inbox-api/saved-replies.ts'

/** Every call's argument schema, by name: the IPC and WebSocket bridges validate with these. */
export const INBOX_API_ARGS = {
  ...CORE_API_ARGS,
  ...INTERACTIVE_API_ARGS,
  ...COMMENTS_API_ARGS,
  ...TRIAGE_API_ARGS,
  ...SAVED_REPLIES_API_ARGS
} as const satisfies Record<InboxCallName, z.ZodType>

/** Every name in INBOX_CALL_NAMES has a schema above, and nothing else does. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const callNamesMatch: Exactly<keyof typeof INBOX_API_ARGS, InboxCallName> = true
void callNamesMatch

export interface InboxApi extends CoreInboxApi, InteractiveInboxApi, CommentsInboxApi, TriageInboxApi, SavedRepliesInboxApi {}

export interface InboxEvents extends CoreInboxEvents, CommentsInboxEvents, TriageInboxEvents, SavedRepliesInboxEvents {}

export type InboxEventName = keyof InboxEvents

export type InboxEventListener = <K extends InboxEventName>(name: K, payload: InboxEvents[K]) => void

/** An attachment as the renderer hands it over: the File the creator dropped, picked or pasted. */
export type SendFileArgs = Omit<Parameters<InboxApi['sendMedia']>[0], 'media'> & { file: File }

/**
 * What the renderer holds: the calls plus the event subscription. The Electron preload exposes it
 * as `window.inbox`; web mode builds it over the WebSocket bridge. `sendFile` sends an attachment from
 * its File: the Electron preload sends a dropped or picked file by the path Chromium knows for it (main
 * reads it; the page never sees or names a path) and any other File by its bytes; web mode uploads the bytes.
 */
export type InboxBridge = InboxApi & {
  sendFile(args: SendFileArgs): Promise<InboxResult<ThreadMessage>>
  onEvent(listener: InboxEventListener): () => void
}
