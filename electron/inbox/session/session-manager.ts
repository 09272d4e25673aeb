// Signing in and out: which session is active (live Postproxy keys, or the demo), where its keys live
// (the OS keychain, never SQLite), the accounts added in Settings, the profile filter, and restoring all
// of it at start-up.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { Session } from '../../../shared/inbox-api.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { DEFAULT_POSTPROXY_URL, type DemoBackend, type InboxOptions } from '../inbox-options.ts'
import { isPostproxyError } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import type { PostproxyClient } from '../postproxy/index.ts'
import type { SecretName } from '../secrets/index.ts'
import {
  createSessionClient,
  sessionProfiles,
  startSessionServices,
  stopSessionServices,
  type ActiveSession,
  type SessionAccount,
  type SessionMode,
  type SessionServicesDeps,
  type StopOptions
} from './active-session.ts'
import { byInboxOrder, profileSummary, takesMessages } from './profile-summary.ts'

const API_KEY_SECRET = 'postproxy-api-key'
const SESSION_SETTING = 'session'
/** The account signed in with; accounts added in Settings get their own ids. */
const FIRST_ACCOUNT = 'account-1'

type StoredAccount = { id: string; label: string }
/** `profileId`: what sessions before the unified inbox kept (the one profile they opened). */
type StoredSession = { mode: SessionMode; profileFilter?: string | null; profileId?: string; accounts?: StoredAccount[] }

/** Where an account's key lives in the keychain: the first under the name it always had. */
const apiKeySecret = (accountId: string): SecretName => (accountId === FIRST_ACCOUNT ? API_KEY_SECRET : `${API_KEY_SECRET}:${accountId}`)

export interface SessionManagerDeps extends Omit<SessionServicesDeps, 'store' | 'onProfilesChanged'> {
  /** The cache in use now (it is replaced when signing out wipes it). */
  store: () => InboxStore
  /** Deletes the cache and the media on disk and opens empty ones (sign out with "wipe"). */
  wipeCache: () => Promise<void>
  /** A session began or ended, or what it shows changed (filter, profiles, accounts). */
  onSessionChange: (session: Session) => void
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
    if (!s) return { state: 'signed_out' }
    const now = this.#deps.now()
    const profiles = sessionProfiles(s)
      .sort((a, b) => byInboxOrder(a.profile, b.profile))
      .map(({ profile, account }) => profileSummary(profile, account.id, now))
    return {
      state: 'signed_in',
      mode: s.mode,
      accounts: s.accounts.map(({ id, label }) => ({ id, label })),
      profiles,
      profileFilter: s.profileFilter
    }
  }

  async restore(): Promise<void> {
    const stored = this.#deps.store().settings.get(SESSION_SETTING) as StoredSession | undefined
    if (!stored) return
    const filter = stored.profileFilter ?? null
    try {
      if (stored.mode === 'demo') await this.#startDemo(filter)
      else {
        const accounts: AccountInput[] = []
        for (const { id, label } of stored.accounts ?? [{ id: FIRST_ACCOUNT, label: accountLabel(1) }]) {
          const apiKey = await this.#deps.options.secrets.get(apiKeySecret(id))
          if (apiKey) accounts.push({ id, label, apiKey })
        }
        if (accounts.some((a) => a.id === FIRST_ACCOUNT)) await this.#begin({ mode: 'live', accounts, baseUrl: this.#liveUrl(), profileFilter: filter, verify: false })
      }
    } catch {
      // Offline at start-up, or the demo could not start: the cache still reads; the next call retries.
    }
  }

  async signIn(apiKey: string): Promise<Session> {
    await this.end()
    const session = await this.#begin({ mode: 'live', accounts: [{ id: FIRST_ACCOUNT, label: accountLabel(1), apiKey }], baseUrl: this.#liveUrl(), profileFilter: null, verify: true })
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

  startDemo(): Promise<Session> {
    return this.#startDemo(null)
  }

  /** The unified inbox's profile filter: no restart, the session keeps every profile running. */
  selectProfile(profileId: string | null): Session {
    const s = this.active()
    if (profileId !== null && !sessionProfiles(s).some(({ profile }) => profile.id === profileId)) {
      throw new InboxFailure('not_found', 'That profile is not part of your Postproxy accounts.')
    }
    s.profileFilter = profileId
    return this.#changed()
  }

  /**
   * Another Postproxy account (an agency's second key): checked with `GET /api/profiles` first, kept in
   * the keychain like the first; its profiles join the inbox. The session restarts with every account.
   */
  async addApiKey(apiKey: string): Promise<Session> {
    const s = this.active()
    if (s.accounts.some((account) => account.apiKey === apiKey)) throw new InboxFailure('invalid_argument', 'This API key is already in dmdesk.')
    const client = createSessionClient(s.mode, this.#baseUrl(s), apiKey, this.#deps.options)
    const profiles = await listProfilesOf(client)
    const taken = new Set(sessionProfiles(s).map(({ profile }) => profile.id))
    if (profiles.length > 0 && profiles.every((p) => taken.has(p.id))) {
      throw new InboxFailure('invalid_argument', 'Every profile of this API key is already in your inbox (it belongs to a Postproxy account you added before).')
    }
    const id = `account-${randomUUID()}`
    await this.#deps.options.secrets.set(apiKeySecret(id), apiKey)
    const accounts = [...s.accounts.map(({ id, label, apiKey }) => ({ id, label, apiKey })), { id, label: accountLabel(s.accounts.length + 1), apiKey }]
    return this.#restart(s, accounts)
  }

  /** Removes an added account: its key leaves the keychain, its profiles the inbox; their cache stays on disk. */
  async removeApiKey(accountId: string): Promise<Session> {
    const s = this.active()
    if (accountId === FIRST_ACCOUNT) throw new InboxFailure('invalid_argument', 'This is the account you signed in with. Sign out to remove it.')
    if (!s.accounts.some((account) => account.id === accountId)) throw new InboxFailure('not_found', 'That Postproxy account is not in dmdesk any more.')
    await this.#deps.options.secrets.delete(apiKeySecret(accountId))
    const accounts = s.accounts.filter((account) => account.id !== accountId).map(({ id, label, apiKey }) => ({ id, label, apiKey }))
    return this.#restart(s, accounts)
  }

  async signOut(wipeCache: boolean): Promise<Session> {
    const accounts = this.#session?.accounts ?? []
    await this.end()
    for (const account of accounts) await this.#deps.options.secrets.delete(apiKeySecret(account.id))
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

  async #startDemo(profileFilter: string | null): Promise<Session> {
    const { options } = this.#deps
    if (!options.startDemoBackend) throw new InboxFailure('internal', 'The demo is not available in this build.')
    await this.end()
    const demo = await options.startDemoBackend(join(options.dataDir, 'demo'))
    try {
      return await this.#begin({ mode: 'demo', accounts: [{ id: FIRST_ACCOUNT, label: accountLabel(1), apiKey: demo.apiKey }], baseUrl: demo.baseUrl, profileFilter, verify: true, demo })
    } catch (error) {
      await demo.close()
      throw error
    }
  }

  async #restart(s: ActiveSession, accounts: AccountInput[]): Promise<Session> {
    const { mode, demo, profileFilter } = s
    await this.end({ keepDemo: true })
    return this.#begin({ mode, accounts, baseUrl: this.#baseUrl(s), profileFilter, verify: false, demo: demo ?? undefined })
  }

  #baseUrl(s: ActiveSession): string {
    return s.demo?.baseUrl ?? this.#liveUrl()
  }

  #liveUrl(): string {
    return this.#deps.options.postproxyBaseUrl ?? DEFAULT_POSTPROXY_URL
  }

  /** Publishes the session view and keeps what restores it. */
  #changed(): Session {
    const s = this.active()
    const stored: StoredSession = { mode: s.mode, profileFilter: s.profileFilter, accounts: s.accounts.map(({ id, label }) => ({ id, label })) }
    this.#deps.store().settings.set(SESSION_SETTING, stored)
    const view = this.view()
    this.#deps.onSessionChange(view)
    return view
  }

  async #begin(input: { mode: SessionMode; accounts: AccountInput[]; baseUrl: string; profileFilter: string | null; verify: boolean; demo?: DemoBackend }): Promise<Session> {
    const store = this.#deps.store()
    const cached = store.profiles.list()
    const accounts: SessionAccount[] = []
    for (const account of input.accounts) {
      const client = createSessionClient(input.mode, input.baseUrl, account.apiKey, this.#deps.options)
      const known = cached.filter((p) => store.settings.get(profileAccountSetting(p.id)) === account.id)
      let profiles = known
      // Offline at start-up, a key's profiles come from the cache (the first account's: every cached one
      // that no other account claimed, as before several accounts existed).
      if (input.verify || known.length === 0) {
        try {
          profiles = await listProfilesOf(client)
        } catch (error) {
          if (input.verify || account.id !== FIRST_ACCOUNT) throw error
          profiles = cached.filter((p) => store.settings.get(profileAccountSetting(p.id)) === undefined)
        }
        store.profiles.upsertProfiles(profiles)
        for (const profile of profiles) store.settings.set(profileAccountSetting(profile.id), account.id)
      }
      accounts.push({ ...account, client, profiles })
    }
    if (!accounts.some((account) => account.profiles.some(takesMessages))) {
      throw new InboxFailure('not_found', 'This Postproxy account has no Instagram account or Facebook Page connected yet. Connect one in Postproxy first.')
    }
    const filter = input.profileFilter !== null && accounts.some((a) => a.profiles.some((p) => p.id === input.profileFilter)) ? input.profileFilter : null
    this.#session = startSessionServices(
      { mode: input.mode, accounts, profileFilter: filter, demo: input.demo ?? null },
      { ...this.#deps, store, onProfilesChanged: () => this.#session && this.#changed() }
    )
    return this.#changed()
  }
}

type AccountInput = { id: string; label: string; apiKey: string }

function accountLabel(position: number): string {
  return `Postproxy account ${position}`
}

/** Which account reaches a profile (settings, not secret): restoring offline splits the cache's profiles. */
function profileAccountSetting(profileId: string): string {
  return `profile-account:${profileId}`
}

async function listProfilesOf(client: PostproxyClient): Promise<Profile[]> {
  try {
    return await client.listProfiles()
  } catch (error) {
    if (isPostproxyError(error) && error.kind === 'unauthorized') {
      throw new InboxFailure('unauthorized', "Postproxy didn't accept this API key. Copy it again from your Postproxy dashboard (Settings → API keys).", error)
    }
    throw error
  }
}
