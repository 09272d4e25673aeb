// Electron's Notification is a JS wrapper: one that nothing references can be garbage-collected while its
// toast is still on screen, and then its click and reply handlers never run (electron/electron#16922).
// Every notification the app shows is held here until it is closed, clicked, replied to, or fails to show.

/** The part of Electron's Notification this needs (the tests pass a stand-in). */
export interface ShownNotification {
  once(event: 'close' | 'click' | 'reply' | 'failed', listener: () => void): unknown
  show(): void
}

/** Beyond this many, the oldest is let go: 'close' is not emitted on every platform, and memory must stay bounded. */
const MAX_HELD = 100

export class NotificationRegistry {
  readonly #held = new Set<ShownNotification>()

  /** Shows the notification and keeps it referenced until the OS is done with it. */
  show(notification: ShownNotification): void {
    const release = () => this.#held.delete(notification)
    for (const event of ['close', 'click', 'reply', 'failed'] as const) notification.once(event, release)
    this.#held.add(notification)
    if (this.#held.size > MAX_HELD) this.#held.delete(this.#held.values().next().value!)
    notification.show()
  }

  /** How many notifications are held now. */
  get size(): number {
    return this.#held.size
  }
}

/** The app's one registry: the inbox's notifications and the updater's. */
export const liveNotifications = new NotificationRegistry()
