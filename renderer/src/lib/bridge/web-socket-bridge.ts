// Web mode's bridge: the same InboxBridge the Electron preload provides, carried over one loopback
// WebSocket (frames in shared/bridge-protocol.ts). Calls are matched to results by id; a dropped
// socket is reopened with backoff, and calls made meanwhile wait for it (or fail in plain words).
import { BRIDGE_PATH, WEB_TOKEN_PARAM, type CallFrame } from '../../../../shared/bridge-protocol.ts'
import type { InboxApi, InboxBridge, InboxCallName, InboxError, InboxEventListener, InboxEventName, InboxEvents, InboxResult, ThreadMessage } from '../../../../shared/inbox-api.ts'
import { INBOX_CALL_NAMES } from '../../../../shared/inbox-calls.ts'
import type { BridgeConnection } from './bridge-connection.ts'
import { uploadedMediaSource } from './media-source.ts'

const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 5_000
/** How long a call made while disconnected waits for the connection before failing. */
const WAIT_FOR_CONNECTION_MS = 10_000

const DROPPED: InboxError = {
  code: 'network',
  message: 'The connection to dmdesk dropped before this finished. Check that dmdesk is still running, then try again.'
}
const UNREACHABLE: InboxError = {
  code: 'network',
  message: "dmdesk isn't reachable right now. Check that it's still running; this page reconnects on its own."
}

interface PendingCall {
  resolve(result: InboxResult<unknown>): void
}

interface QueuedCall {
  frame: CallFrame
  pending: PendingCall
  timer: ReturnType<typeof setTimeout>
}

/** The bridge URL for this page: same host, the page's token passed on. */
export function bridgeUrlFor(location: Location): string {
  const token = new URLSearchParams(location.search).get(WEB_TOKEN_PARAM) ?? ''
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}${BRIDGE_PATH}?${WEB_TOKEN_PARAM}=${encodeURIComponent(token)}`
}

export class WebSocketBridge {
  readonly api: InboxBridge
  private socket: WebSocket | null = null
  private nextId = 1
  private readonly inFlight = new Map<number, PendingCall>()
  private readonly queued: QueuedCall[] = []
  private readonly eventListeners = new Set<InboxEventListener>()
  private readonly connectionListeners = new Set<(state: BridgeConnection) => void>()
  private retryMs = FIRST_RETRY_MS
  private state: BridgeConnection = 'connecting'
  private readonly url: string

  constructor(url: string) {
    this.url = url
    const calls: Partial<Record<InboxCallName, (args?: unknown) => Promise<InboxResult<unknown>>>> = {}
    for (const name of INBOX_CALL_NAMES) calls[name] = (args?: unknown) => this.call(name, args)
    this.api = {
      ...(calls as unknown as InboxApi),
      // Web mode sends a file's bytes, never a path.
      sendFile: async ({ file, ...args }) => (await this.call('sendMedia', { ...args, media: await uploadedMediaSource(file) })) as InboxResult<ThreadMessage>,
      onEvent: (listener) => {
        this.eventListeners.add(listener)
        return () => this.eventListeners.delete(listener)
      }
    }
    this.open()
  }

  get connection(): BridgeConnection {
    return this.state
  }

  onConnection(listener: (state: BridgeConnection) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  private setState(state: BridgeConnection): void {
    if (this.state === state) return
    this.state = state
    for (const listener of this.connectionListeners) listener(state)
  }

  private open(): void {
    const socket = new WebSocket(this.url)
    this.socket = socket
    socket.addEventListener('open', () => {
      this.retryMs = FIRST_RETRY_MS
      this.setState('connected')
      for (const call of this.queued.splice(0)) {
        clearTimeout(call.timer)
        this.transmit(call.frame, call.pending)
      }
    })
    socket.addEventListener('message', (event) => this.receive(event.data))
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return
      this.socket = null
      // The core may or may not have run these: say so rather than silently sending twice.
      for (const pending of this.inFlight.values()) pending.resolve({ ok: false, error: DROPPED })
      this.inFlight.clear()
      this.setState('reconnecting')
      const jitter = 0.8 + Math.random() * 0.4
      setTimeout(() => this.open(), this.retryMs * jitter)
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS)
    })
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return
    let frame: { type?: unknown; id?: unknown; result?: unknown; name?: unknown; payload?: unknown }
    try {
      frame = JSON.parse(data)
    } catch {
      return
    }
    if (frame.type === 'result' && typeof frame.id === 'number') {
      const pending = this.inFlight.get(frame.id)
      if (!pending) return
      this.inFlight.delete(frame.id)
      pending.resolve(frame.result as InboxResult<unknown>)
    } else if (frame.type === 'event' && typeof frame.name === 'string') {
      const name = frame.name as InboxEventName
      for (const listener of this.eventListeners) {
        try {
          listener(name, frame.payload as InboxEvents[typeof name])
        } catch (error) {
          console.error('dmdesk: an event listener failed', error)
        }
      }
    }
  }

  private call(name: InboxCallName, args: unknown): Promise<InboxResult<unknown>> {
    const frame: CallFrame = { type: 'call', id: this.nextId++, name, args }
    return new Promise((resolve) => {
      const pending: PendingCall = { resolve }
      if (this.socket?.readyState === WebSocket.OPEN) {
        this.transmit(frame, pending)
        return
      }
      const call: QueuedCall = {
        frame,
        pending,
        timer: setTimeout(() => {
          const index = this.queued.indexOf(call)
          if (index >= 0) this.queued.splice(index, 1)
          resolve({ ok: false, error: UNREACHABLE })
        }, WAIT_FOR_CONNECTION_MS)
      }
      this.queued.push(call)
    })
  }

  private transmit(frame: CallFrame, pending: PendingCall): void {
    this.inFlight.set(frame.id, pending)
    try {
      this.socket!.send(JSON.stringify(frame))
    } catch {
      this.inFlight.delete(frame.id)
      pending.resolve({ ok: false, error: DROPPED })
    }
  }
}
