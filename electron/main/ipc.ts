// Registers the one IPC handler the preload uses. Every call is checked for its sender (only the
// app's own top-level page, never a subframe or another page) and its arguments are validated by
// the core with the shared schemas; results travel as `{ok, value} | {ok: false, error}`.
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron'
import { IPC_CALL_CHANNEL } from '../../shared/inbox-calls.ts'
import type { InboxResult } from '../../shared/inbox-api.ts'

export interface InboxInvoker {
  invoke(name: string, args: unknown): Promise<InboxResult<unknown>>
}

const REFUSED: InboxResult<never> = { ok: false, error: { code: 'invalid_argument', message: 'This request did not come from the dmdesk window and was refused.' } }

/** Trusted: the top frame of a page loaded from the app's own renderer location. */
export function isTrustedFrame(frame: WebFrameMain | null | undefined, rendererUrlPrefix: string): boolean {
  if (!frame || frame.parent !== null) return false
  return frame.url.startsWith(rendererUrlPrefix)
}

export function registerInboxIpc(ipcMain: IpcMain, inbox: InboxInvoker, rendererUrlPrefix: string): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, args: unknown) => {
    if (!isTrustedFrame(event.senderFrame, rendererUrlPrefix)) return REFUSED
    if (typeof name !== 'string') return { ok: false, error: { code: 'invalid_argument', message: 'A call needs a name.' } }
    return inbox.invoke(name, args)
  })
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL)
}
