// The pushes of `InboxEvents` to whoever listens (the IPC bridge, the web bridge, the desktop shell).
import type { InboxEventListener, InboxEventName, InboxEvents } from '../../shared/inbox-api.ts'

export class InboxEventHub {
  readonly #listeners = new Set<InboxEventListener>()

  on(listener: InboxEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit<K extends InboxEventName>(name: K, payload: InboxEvents[K]): void {
    for (const listener of this.#listeners) {
      try {
        listener(name, payload)
      } catch {
        // A failing listener must not break the core or other listeners.
      }
    }
  }
}
