// The one place the renderer reaches the core: the Electron preload's `window.inbox`, or web mode's
// WebSocket when there is no preload. Everything else in the renderer sees only an `AppBridge`.
import type { InboxBridge, MediaSource } from '../../../../shared/inbox-api.ts'
import type { BridgeConnection } from './bridge-connection.ts'
import { uploadedMediaSource } from './media-source.ts'
import { bridgeUrlFor, WebSocketBridge } from './web-socket-bridge.ts'

/** What the Electron preload exposes: the contract, plus path resolution for dropped files. */
export type PreloadInbox = InboxBridge & { pathForFile?(file: File): string }

declare global {
  interface Window {
    inbox?: PreloadInbox
  }
}

export interface AppBridge {
  api: InboxBridge
  /** Electron notifies from the main process; web mode uses the Web Notifications API itself. */
  kind: 'electron' | 'web'
  connection(): BridgeConnection
  onConnection(listener: (state: BridgeConnection) => void): () => void
  /** How this file is handed to `sendMedia`: its path in Electron, its bytes in web mode. */
  mediaSourceFor(file: File): Promise<MediaSource>
}

function preloadBridge(inbox: PreloadInbox): AppBridge {
  return {
    api: inbox,
    kind: 'electron',
    connection: () => 'connected',
    onConnection: () => () => {},
    mediaSourceFor: async (file) => {
      const path = inbox.pathForFile?.(file)
      return path ? { path } : uploadedMediaSource(file)
    }
  }
}

function webBridge(): AppBridge {
  const socket = new WebSocketBridge(bridgeUrlFor(window.location))
  return {
    api: socket.api,
    kind: 'web',
    connection: () => socket.connection,
    onConnection: (listener) => socket.onConnection(listener),
    mediaSourceFor: uploadedMediaSource
  }
}

export function connectBridge(): AppBridge {
  return window.inbox ? preloadBridge(window.inbox) : webBridge()
}
