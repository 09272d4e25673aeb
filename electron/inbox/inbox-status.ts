// What the status bar shows: connection, sync progress, the relay tunnel and the unread total.
// Changes are coalesced: a burst of them pushes one `status` event.
import type { InboxStatus, TunnelStatus } from '../../shared/inbox-api.ts'

export interface StatusBoardDeps {
  /** The unread counts are read from the cache when the status is pushed, so they are never stale. */
  unread: () => Pick<InboxStatus, 'unreadTotal' | 'unreadByProfile'>
  publish: (status: InboxStatus) => void
  /** The machine went online or offline (the outbox, media cache and poller react to it). */
  onConnectionChange: (online: boolean) => void
}

export class StatusBoard {
  #status: Omit<InboxStatus, 'unreadTotal' | 'unreadByProfile'> = {
    connection: 'online',
    sync: { state: 'idle', progress: null, stage: null, lastSyncedAt: null, error: null },
    tunnel: { state: 'not_paired' }
  }
  #queued = false
  readonly #deps: StatusBoardDeps

  constructor(deps: StatusBoardDeps) {
    this.#deps = deps
  }

  get current(): InboxStatus {
    return { ...this.#status, ...this.#deps.unread() }
  }

  get online(): boolean {
    return this.#status.connection === 'online'
  }

  setConnection(online: boolean): void {
    const connection = online ? 'online' : 'offline'
    if (this.#status.connection === connection) return
    this.#status = { ...this.#status, connection }
    this.#deps.onConnectionChange(online)
    this.queue()
  }

  updateSync(change: Partial<InboxStatus['sync']>): void {
    this.#status = { ...this.#status, sync: { ...this.#status.sync, ...change } }
    this.queue()
  }

  setTunnel(tunnel: TunnelStatus): void {
    this.#status = { ...this.#status, tunnel }
    this.queue()
  }

  /** Pushes the status once, after the current burst of changes. */
  queue(): void {
    if (this.#queued) return
    this.#queued = true
    queueMicrotask(() => {
      this.#queued = false
      this.#deps.publish(this.current)
    })
  }
}
