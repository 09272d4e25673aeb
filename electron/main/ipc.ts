// Registers the IPC handlers the preload uses. Every call is checked for its sender (only the app's own
// top-level page, never a subframe or another page) and its arguments are validated with the shared
// schemas; results travel as `{ok, value} | {ok: false, error}`.
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron'
import { z } from 'zod'
import { IPC_CALL_CHANNEL, IPC_SEND_FILE_CHANNEL } from '../../shared/inbox-calls.ts'
import { SendMediaArgs, type InboxResult, type ThreadMessage } from '../../shared/inbox-api.ts'
import type { MessageTag } from '../../shared/messaging-window.ts'
import { CHOSEN_FILE_REFUSED } from '../inbox/outbox/media-intake.ts'

export interface InboxInvoker {
  invoke(name: string, args: unknown): Promise<InboxResult<unknown>>
  sendChosenFile(chatId: string, path: string, tag: MessageTag | null, replyToExternalId: string | null): Promise<InboxResult<ThreadMessage>>
}

const REFUSED: InboxResult<never> = { ok: false, error: { code: 'invalid_argument', message: 'This request did not come from the dmdesk window and was refused.' } }
const FILE_REFUSED: InboxResult<never> = { ok: false, error: { code: 'media_rejected', message: CHOSEN_FILE_REFUSED } }

/**
 * What the preload sends for a File: the path Chromium knows for a dropped or picked file, or the bytes of
 * one that has no place on disk (pasted). The path is resolved by the preload itself, never by the page.
 */
const SendFileRequest = SendMediaArgs.omit({ media: true }).extend({ file: z.unknown() })
const SentFile = z.union([
  z.strictObject({ path: z.string().min(1).max(4096) }),
  z.strictObject({ name: z.string().max(255), bytes: z.instanceof(Uint8Array) })
])

/** Trusted: the top frame of a page loaded from the app's own renderer location. */
export function isTrustedFrame(frame: WebFrameMain | null | undefined, rendererUrlPrefix: string): boolean {
  if (!frame || frame.parent !== null) return false
  return frame.url.startsWith(rendererUrlPrefix)
}

async function sendFile(inbox: InboxInvoker, raw: unknown): Promise<InboxResult<unknown>> {
  const request = SendFileRequest.safeParse(raw)
  if (!request.success) return { ok: false, error: { code: 'invalid_argument', message: 'This attachment could not be sent: the request was malformed.' } }
  const { chatId, tag, replyToExternalId, file } = request.data
  const sent = SentFile.safeParse(file)
  if (!sent.success) return FILE_REFUSED
  // Whatever stops a chosen file, the intake answers in the same words (an answer must not describe a path).
  if ('path' in sent.data) return inbox.sendChosenFile(chatId, sent.data.path, tag, replyToExternalId)
  return inbox.invoke('sendMedia', { chatId, tag, replyToExternalId, media: { name: sent.data.name, bytesBase64: Buffer.from(sent.data.bytes).toString('base64') } })
}

export function registerInboxIpc(ipcMain: IpcMain, inbox: InboxInvoker, rendererUrlPrefix: string): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, args: unknown) => {
    if (!isTrustedFrame(event.senderFrame, rendererUrlPrefix)) return REFUSED
    if (typeof name !== 'string') return { ok: false, error: { code: 'invalid_argument', message: 'A call needs a name.' } }
    return inbox.invoke(name, args)
  })
  ipcMain.handle(IPC_SEND_FILE_CHANNEL, async (event: IpcMainInvokeEvent, request: unknown) => {
    if (!isTrustedFrame(event.senderFrame, rendererUrlPrefix)) return REFUSED
    return sendFile(inbox, request)
  })
  return () => {
    ipcMain.removeHandler(IPC_CALL_CHANNEL)
    ipcMain.removeHandler(IPC_SEND_FILE_CHANNEL)
  }
}
