// The preload exposes exactly one object to the page. The typed InboxApi bridge replaces this
// placeholder when the desktop issue wires the core over IPC.
import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('dmdesk', Object.freeze({ runtime: 'electron' as const }))
