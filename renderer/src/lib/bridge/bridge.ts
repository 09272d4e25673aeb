// The one place the renderer reaches the core: the Electron preload's `window.inbox`, or web mode's
// WebSocket when there is no preload. Everything else in the renderer sees only an `AppBridge`.
import type { InboxBridge } from '../../../../shared/inbox-api.ts'
import type { BridgeConnection } from './bridge-connection.ts'
import { bridgeUrlFor, WebSocketBridge } from './web-socket-bridge.ts'

declare global {
  interface Window {
    inbox?: InboxBridge
  }
}

export interface AppBridge {
  /** Attachments go through `api.sendFile` with the File itself; each bridge decides how it travels. */
  api: InboxBridge
  /** Electron notifies from the main process; web mode uses the Web Notifications API itself. */
  kind: 'electron' | 'web'
  connection(): BridgeConnection
  onConnection(listener: (state: BridgeConnection) => void): () => void
}

function preloadBridge(inbox: InboxBridge): AppBridge {
  return {
    api: inbox,
    kind: 'electron',
    connection: () => 'connected',
    onConnection: () => () => {}
  }
}

function webBridge(): AppBridge {
  const socket = new WebSocketBridge(bridgeUrlFor(window.location))
  return {
    api: socket.api,
    kind: 'web',
    connection: () => socket.connection,
    onConnection: (listener) => socket.onConnection(listener)
  }
}

export function connectBridge(): AppBridge {
  return window.inbox ? preloadBridge(window.inbox) : webBridge()
}
