// Signing in and out: which session is active (a live Postproxy key, or the demo), where its key lives
// (the OS keychain, never SQLite), and restoring it at start-up.
import { join } from 'node:path'
import type { ProfileSummary, Session } from '../../../shared/inbox-api.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { DEFAULT_POSTPROXY_URL, type DemoBackend, type InboxOptions } from '../inbox-options.ts'
import { isPostproxyError } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import {
  createSessionClient,
  startSessionServices,
  stopSessionServices,
  type ActiveSession,
  type SessionMode,
  type SessionServicesDeps,
  type StopOptions
} from './active-session.ts'

const API_KEY_SECRET = 'postproxy-api-key'
const SESSION_SETTING = 'session'

type StoredSession = { mode: SessionMode; profileId: string }

export interface SessionManagerDeps extends Omit<SessionServicesDeps, 'store'> {
  /** The cache in use now (it is replaced when signing out wipes it). */
  store: () => InboxStore
  /** Deletes the cache and the media on disk and opens empty ones (sign out with "wipe"). */
  wipeCache: () => Promise<void>
  /** A session began or ended. */
  onSessionChange: (session: Session) => void
}

function profileSummary(profile: Profile): ProfileSummary {
  return { id: profile.id, name: profile.name ?? null, platform: profile.platform, status: profile.status, avatarUrl: profile.avatar_url ?? null }
}

/** The profile a new session opens: an active Instagram one first, as the product targets Instagram. */
function preferredProfile(profiles: Profile[]): Profile | undefined {
  const rank = (p: Profile) => (p.platform === 'instagram' ? 0 : p.platform === 'facebook' ? 1 : 2) + (p.status === 'active' ? 0 : 3)
  return [...profiles].sort((a, b) => rank(a) - rank(b))[0]
}

export class SessionManager {
  #session: ActiveSession | null = null
  readonly #deps: SessionManagerDeps

  constructor(deps: SessionManagerDeps) {
    this.#deps = deps
  }

  get current(): ActiveSession | null {
    return this.#session
  }

  /** The active session, or a failure the creator can act on. */
  active(): ActiveSession {
    if (!this.#session) throw new InboxFailure('not_signed_in', 'Sign in with your Postproxy API key, or try the demo.')
    return this.#session
  }

  view(): Session {
    const s = this.#session
    return s ? { state: 'signed_in', mode: s.mode, profiles: s.profiles, profileId: s.profileId } : { state: 'signed_out' }
  }

  async restore(): Promise<void> {
    const stored = this.#deps.store().settings.get(SESSION_SETTING) as StoredSession | undefined
    if (!stored) return
    try {
      if (stored.mode === 'demo') await this.startDemo(stored.profileId)
      else {
        const apiKey = await this.#deps.options.secrets.get(API_KEY_SECRET)
        if (apiKey) await this.#begin({ mode: 'live', apiKey, baseUrl: this.#liveUrl(), profileId: stored.profileId, verify: false })
      }
    } catch {
      // Offline at start-up, or the demo could not start: the cache still reads; the next call retries.
    }
  }

  async signIn(apiKey: string): Promise<Session> {
    await this.end()
    const session = await this.#begin({ mode: 'live', apiKey, baseUrl: this.#liveUrl(), profileId: null, verify: true })
    // Only a key Postproxy accepted reaches the keychain; a key the keychain refuses ends the session
    // (it could not be restored on the next start, and the creator must hear why).
    try {
      await this.#deps.options.secrets.set(API_KEY_SECRET, apiKey)
    } catch (error) {
      await this.end()
      throw error
    }
    return session
  }

  async startDemo(profileId: string | null = null): Promise<Session> {
    const { options } = this.#deps
    if (!options.startDemoBackend) throw new InboxFailure('internal', 'The demo is not available in this build.')
    await this.end()
    const demo = await options.startDemoBackend(join(options.dataDir, 'demo'))
    try {
      return await this.#begin({ mode: 'demo', apiKey: demo.apiKey, baseUrl: demo.baseUrl, profileId, verify: true, demo })
    } catch (error) {
      await demo.close()
      throw error
    }
  }

  async selectProfile(profileId: string): Promise<Session> {
    const s = this.active()
    if (!s.profiles.some((p) => p.id === profileId)) throw new InboxFailure('not_found', 'That profile is not part of this Postproxy account.')
    const { mode, apiKey, demo } = s
    await this.end({ keepDemo: true })
    return this.#begin({ mode, apiKey, baseUrl: demo?.baseUrl ?? this.#liveUrl(), profileId, verify: false, demo: demo ?? undefined })
  }

  async signOut(wipeCache: boolean): Promise<Session> {
    await this.end()
    await this.#deps.options.secrets.delete(API_KEY_SECRET)
    this.#deps.store().settings.delete(SESSION_SETTING)
    if (wipeCache) await this.#deps.wipeCache()
    const view = this.view()
    this.#deps.onSessionChange(view)
    return view
  }

  async end(options: StopOptions = {}): Promise<void> {
    const s = this.#session
    if (!s) return
    this.#session = null
    await stopSessionServices(s, options)
  }

  #liveUrl(): string {
    return this.#deps.options.postproxyBaseUrl ?? DEFAULT_POSTPROXY_URL
  }

  async #begin(input: { mode: SessionMode; apiKey: string; baseUrl: string; profileId: string | null; verify: boolean; demo?: DemoBackend }): Promise<Session> {
    const store = this.#deps.store()
    const client = createSessionClient(input.mode, input.baseUrl, input.apiKey, this.#deps.options)
    let profiles = store.profiles.list()
    if (input.verify || profiles.length === 0) {
      try {
        profiles = await client.listProfiles()
      } catch (error) {
        if (isPostproxyError(error) && error.kind === 'unauthorized') {
          throw new InboxFailure('unauthorized', "Postproxy didn't accept this API key. Copy it again from your Postproxy dashboard (Settings → API keys).", error)
        }
        throw error
      }
      store.profiles.upsertProfiles(profiles)
    }
    const profile = profiles.find((p) => p.id === input.profileId) ?? preferredProfile(profiles)
    if (!profile) throw new InboxFailure('not_found', 'This Postproxy account has no connected profiles yet. Connect your Instagram account in Postproxy first.')

    this.#session = startSessionServices(
      { mode: input.mode, apiKey: input.apiKey, client, profile, profiles: profiles.map(profileSummary), demo: input.demo ?? null },
      { ...this.#deps, store }
    )
    store.settings.set(SESSION_SETTING, { mode: input.mode, profileId: profile.id } satisfies StoredSession)
    const view = this.view()
    this.#deps.onSessionChange(view)
    return view
  }
}
