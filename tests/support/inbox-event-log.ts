// The pushes an Inbox emits, recorded from the moment it opens, and a wait for one of them: tests wait for
// events, never for time.
import type { InboxEventListener, InboxEventName, InboxEvents } from '../../shared/inbox-api.ts'

export interface InboxEventSource {
  on(listener: InboxEventListener): () => void
}

export class InboxEventLog {
  readonly events: { name: InboxEventName; payload: unknown }[] = []
  readonly #source: InboxEventSource

  constructor(source: InboxEventSource) {
    this.#source = source
    source.on((name, payload) => this.events.push({ name, payload }))
  }

  /** Resolves with the first pushed event `name` that satisfies `match` (already pushed ones count). */
  next<K extends InboxEventName>(name: K, match: (payload: InboxEvents[K]) => boolean, timeoutMs = 20_000): Promise<InboxEvents[K]> {
    const seen = this.events.find((e) => e.name === name && match(e.payload as InboxEvents[K]))
    if (seen) return Promise.resolve(seen.payload as InboxEvents[K])
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${name} event`)), timeoutMs)
      const stop = this.#source.on((n, payload) => {
        if ((n as InboxEventName) === name && match(payload as InboxEvents[K])) {
          clearTimeout(timer)
          stop()
          resolve(payload as InboxEvents[K])
        }
      })
    })
  }
}
