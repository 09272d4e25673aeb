// The preload exposes exactly one object, `window.inbox`, typed as the shared InboxBridge so the
// compiler checks the bridge against what the renderer consumes. No raw ipcRenderer, no Node.
// Sandboxed: it may import only `electron` and dependency-free shared modules (bundled in).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { INBOX_CALL_NAMES, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_SEND_FILE_CHANNEL } from '../../shared/inbox-calls.ts'
import type { InboxApi, InboxBridge, InboxEventListener, SendFileArgs } from '../../shared/inbox-api.ts'

const api = Object.fromEntries(
  INBOX_CALL_NAMES.map((name) => [name, (args?: unknown) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, args)])
) as unknown as InboxApi

/**
 * How a File travels to main. A file the creator dropped or picked has a path only Chromium knows (a File
 * built by script has none, and a path string from the page is never accepted): main reads that file itself.
 * A File with no place on disk (a pasted image) is sent by its bytes, as web mode does.
 */
async function fileToSend(file: unknown): Promise<{ path: string } | { name: string; bytes: Uint8Array } | null> {
  if (!(file instanceof Blob)) return null
  let path = ''
  try {
    path = webUtils.getPathForFile(file as File)
  } catch {
    // A Blob that isn't a File: no path, its bytes only.
  }
  if (path) return { path }
  return { name: file instanceof File ? file.name.slice(0, 255) : '', bytes: new Uint8Array(await file.arrayBuffer()) }
}

const bridge: InboxBridge = {
  ...api,
  async sendFile({ file, ...args }: SendFileArgs) {
    return ipcRenderer.invoke(IPC_SEND_FILE_CHANNEL, { ...args, file: await fileToSend(file) })
  },
  onEvent(listener: InboxEventListener) {
    const forward = (_event: IpcRendererEvent, name: Parameters<InboxEventListener>[0], payload: Parameters<InboxEventListener>[1]) => listener(name, payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
  }
}

contextBridge.exposeInMainWorld('inbox', bridge)
