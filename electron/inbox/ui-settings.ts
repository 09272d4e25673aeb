// The creator's preferences (notifications, previews, theme), kept in the cache's settings table.
import type { Settings } from '../../shared/inbox-api.ts'
import type { InboxStore } from './store/index.ts'

const SETTINGS_KEY = 'ui'
const DEFAULT_SETTINGS: Settings = { notifications: true, notificationPreviews: true, commentNotifications: true, theme: 'system' }

export class UiSettings {
  readonly #store: () => InboxStore

  constructor(store: () => InboxStore) {
    this.#store = store
  }

  get current(): Settings {
    return { ...DEFAULT_SETTINGS, ...((this.#store().settings.get(SETTINGS_KEY) as Partial<Settings> | undefined) ?? {}) }
  }

  /** Applies the given fields (undefined ones are left as they are) and returns the result. */
  update(change: Partial<Settings>): Settings {
    const next = { ...this.current, ...Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) }
    this.#store().settings.set(SETTINGS_KEY, next)
    return next
  }
}
