// What a core pushed (InboxEvents), kept from the moment a test opens it, and waiting for the next
// matching push: tests wait for events, never for time.
import type { Inbox } from '../../electron/inbox/inbox.ts'
import type { InboxEventName, InboxEvents } from '../../shared/inbox-api.ts'

export interface InboxEventLog {
  readonly events: { name: InboxEventName; payload: unknown }[]
  /** Resolves with the first push `name` that satisfies `match`, already pushed ones included. */
  next<K extends InboxEventName>(name: K, match: (payload: InboxEvents[K]) => boolean): Promise<InboxEvents[K]>
  clear(): void
}

export function recordInboxEvents(inbox: Inbox, timeoutMs = 15_000): InboxEventLog {
  const events: { name: InboxEventName; payload: unknown }[] = []
  inbox.on((name, payload) => events.push({ name, payload }))
  return {
    events,
    clear: () => void events.splice(0),
    next<K extends InboxEventName>(name: K, match: (payload: InboxEvents[K]) => boolean): Promise<InboxEvents[K]> {
      const seen = events.find((e) => e.name === name && match(e.payload as InboxEvents[K]))
      if (seen) return Promise.resolve(seen.payload as InboxEvents[K])
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${name} event`)), timeoutMs)
        const stop = inbox.on((pushed, payload) => {
          if ((pushed as InboxEventName) === name && match(payload as InboxEvents[K])) {
            clearTimeout(timer)
            stop()
            resolve(payload as InboxEvents[K])
          }
        })
      })
    }
  }
}
