// The preload exposes exactly one object, `window.inbox`, typed as the shared InboxBridge so the
// compiler checks the bridge against what the renderer consumes. No raw ipcRenderer, no Node.
// Sandboxed: it may import only `electron` and dependency-free shared modules (bundled in).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { INBOX_CALL_NAMES, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/inbox-calls.ts'
import type { InboxApi, InboxBridge, InboxEventListener } from '../../shared/inbox-api.ts'

const api = Object.fromEntries(
  INBOX_CALL_NAMES.map((name) => [name, (args?: unknown) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, args)])
) as unknown as InboxApi

const bridge: InboxBridge & { pathForFile(file: File): string } = {
  ...api,
  onEvent(listener: InboxEventListener) {
    const forward = (_event: IpcRendererEvent, name: Parameters<InboxEventListener>[0], payload: Parameters<InboxEventListener>[1]) => listener(name, payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
  },
  // A dropped file's path; main reads and validates the file again before anything is sent.
  pathForFile: (file: File) => webUtils.getPathForFile(file)
}

contextBridge.exposeInMainWorld('inbox', bridge)
