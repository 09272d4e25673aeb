// How the shell (Electron or web mode) configures the inbox core.
import type { AppTimers } from './app-timers.ts'
import type { PostproxyClientOptions } from './postproxy/index.ts'
import type { SecretStore } from './secrets/index.ts'

export const DEFAULT_POSTPROXY_URL = 'https://api.postproxy.dev'

/** The embedded simulator that demo mode runs on; started by the demo wiring, not by the core. */
export interface DemoBackend {
  baseUrl: string
  apiKey: string
  /** The demo's own relay, which the demo session pairs with. */
  relay?: { url: string; adminToken: string }
  close(): Promise<void>
}

export interface InboxOptions {
  /** Where the cache database, staged media and downloaded media live. */
  dataDir: string
  secrets: SecretStore
  postproxyBaseUrl?: string
  /** Demo mode's backend, provided by the shell (electron/demo/). Without it, "Try the demo" is unavailable. */
  startDemoBackend?: (dataDir: string) => Promise<DemoBackend>
  /** How the renderer loads a cached attachment (custom protocol in Electron, loopback route in web mode). */
  mediaUrl?: (attachmentId: string) => string
  clientOptions?: Partial<PostproxyClientOptions>
  /** The app clock (snoozes, the messaging window, timestamps the cache records). */
  now?: () => number
  /** Timers on that clock; a fake clock passes its own together with `now`. */
  timers?: AppTimers
  /**
   * A window shows the inbox (the desktop app, web mode): a new account's first sync lets it paint the chat
   * list before fetching the chats' messages, and waits this long at most for it to say so (the shells pass
   * FIRST_LOOK_GRACE_MS; sync/first-look.ts). Unset for a core without a window (tests, benchmarks).
   */
  firstLookGraceMs?: number
}
