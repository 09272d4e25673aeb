// startSimulator: a Postproxy-compatible server on 127.0.0.1, with its state in SQLite (memory, or a
// file), a simulated clock, webhook delivery, fault injection and the /_sim/ control API.
// Used by the CLI (`npm run simulator`), by demo mode, and by every test that needs a backend.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Database from 'better-sqlite3'
import type { AccountId, WebhookDispatcher } from './contracts.ts'
import { SimulatedClock } from './clock.ts'
import { SimulatorControl } from './control.ts'
import { Faults } from './faults.ts'
import { IdempotencyStore } from './idempotency.ts'
import { newApiKey, newId } from './ids.ts'
import { loadScenario, type ScenarioChoice } from './load-scenario.ts'
import { Outbox } from './outbox.ts'
import { ProfileConnections } from './profile-connections.ts'
import { PublicUrls } from './public-urls.ts'
import { RateLimiter, type RateLimitConfig } from './rate-limit.ts'
import { RequestTally } from './request-tally.ts'
import { Router } from './router.ts'
import { createRequestHandler } from './server.ts'
import { SimState } from './state.ts'
import type { AccountSummary, ApiDeps } from './api/deps.ts'
import { chatRoutes } from './api/chats.ts'
import { commentRoutes } from './api/comments.ts'
import { controlRoutes } from './api/control.ts'
import { iceBreakerRoutes } from './api/ice-breakers.ts'
import { messageRoutes } from './api/messages.ts'
import { postRoutes } from './api/posts.ts'
import { privateReplyRoutes } from './api/private-replies.ts'
import { profileControlRoutes } from './api/profile-control.ts'
import { profileRoutes } from './api/profiles.ts'
import { reactionRoutes } from './api/reactions.ts'
import { sendRoutes } from './api/send.ts'
import { tapRoutes } from './api/taps.ts'
import { webhookRoutes } from './api/webhooks.ts'
import { createWebhookDispatcher } from './webhooks/dispatcher.ts'
import { startPersonas, type RunningPersonas } from './scenarios/personas.ts'

export type { AccountSummary } from './api/deps.ts'
export type { ScenarioChoice } from './load-scenario.ts'
export type { RateLimitConfig } from './rate-limit.ts'
export type { FaultSpec } from './faults.ts'

export interface SimulatorOptions {
  /** 0 (default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number
  /** Default `demo`; `chats` implies `scale`. */
  scenario?: 'demo' | 'empty' | 'scale'
  /**
   * The multi-profile world: besides the primary Instagram profile (unchanged), a Facebook Page for
   * Messenger and a TikTok account in its profile group, and a second Instagram account in a second
   * group; with `demo`, each with its own chats, posts and comments. Default off (one profile).
   */
  multiProfile?: boolean
  chats?: number
  messagesPerChat?: number
  /** With `chats` and `multiProfile`: every profile with DMs gets the scale chats, not only the primary. */
  chatsOnEveryProfile?: boolean
  seed?: number
  /** Sends outside the messaging window answer 422 at once instead of failing asynchronously. */
  strictWindow?: boolean
  /** An SQLite file to keep the state in (reused, with its key, when it exists); default in memory. */
  dataFile?: string | null
  /** Simulated milliseconds from a send's 202 to its outcome (`published` / `failed`). Default 1000. */
  publishDelayMs?: number
  /** Personas keep the demo inbox moving. Default off (the CLI turns it on). */
  alive?: boolean
  /** Mean milliseconds between persona actions. Default 8000. */
  aliveIntervalMs?: number
  /** Multiplies the webhook retry schedule (tests use a tiny factor). Default 1. */
  retryDelayScale?: number
  /** Requests per window per key; off by default. */
  rateLimit?: RateLimitConfig | null
  /**
   * Network round trip added to every Postproxy request (`/api/…` and hosted media; not `/_sim/…`), e.g.
   * 150 for a client in Europe. Default 0.
   */
  latencyMs?: number
  /** A fixed API key for the primary account (default: a random one). */
  apiKey?: string
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:43121` */
  url: string
  apiKey: string
  /** The primary profile (Instagram in every scenario). */
  profileId: string
  /** Every profile of the primary account, the primary first. */
  profileIds: string[]
  account: AccountId
  clock: SimulatedClock
  control: SimulatorControl
  /** Expire, disconnect, reconnect and add profiles (profile.* webhooks). */
  profileConnections: ProfileConnections
  webhooks: WebhookDispatcher
  faults: Faults
  rateLimiter: RateLimiter
  /** Postproxy requests answered per key, by status (also in `GET /_sim/state` as `requests`). */
  requests: RequestTally
  state: SimState
  /** Another account with its own key and profile(s) (per-key scoping; `scenario.multiProfile` for the whole set). */
  createAccount(input?: { platform?: string; scenario?: ScenarioChoice }): AccountSummary
  /**
   * Replaces an account's data with a fresh scenario (same key, same profile ids). Without
   * `choice.multiProfile` the account keeps the profile set it had.
   */
  reset(account: AccountId, choice: ScenarioChoice): void
  close(): Promise<void>
}

const PRIMARY_ACCOUNT_SETTING = 'primary_account'
const CLOCK_OFFSET_SETTING = 'clock_offset_ms'
/** Per account: `multi` when it holds the multi-profile set (a reset keeps it). */
const profileSetSetting = (account: AccountId) => `profile_set:${account}`

function openDatabase(dataFile: string | null | undefined): Database.Database {
  const db = new Database(dataFile || ':memory:')
  // A large page cache (and, in memory, large pages) made generating a million messages
  // noticeably faster when measured (the benchmark's budget is 30 s).
  db.pragma('cache_size = -262144')
  if (dataFile) {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  } else {
    db.pragma('page_size = 65536')
  }
  return db
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  })
}

function scenarioFromOptions(options: SimulatorOptions): ScenarioChoice {
  const seed = options.seed ?? 1
  if (options.chats !== undefined || options.scenario === 'scale') {
    return {
      name: 'scale',
      seed,
      chats: options.chats ?? 100,
      messagesPerChat: options.messagesPerChat ?? 20,
      multiProfile: options.multiProfile,
      everyProfile: options.chatsOnEveryProfile
    }
  }
  return { name: options.scenario ?? 'demo', seed, multiProfile: options.multiProfile }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const db = openDatabase(options.dataFile)
  // A long keep-alive, as production API servers use: with Node's default 5 s, a client reusing an idle
  // connection on a busy machine can race the server closing it and read ECONNRESET.
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 })
  let url: string
  try {
    url = await listen(server, options.port ?? 0)
  } catch (error) {
    db.close()
    throw error
  }

  const state = new SimState(db, new PublicUrls(url))
  const clock = new SimulatedClock(Number(state.setting(CLOCK_OFFSET_SETTING) ?? 0), (offsetMs) =>
    state.setSetting(CLOCK_OFFSET_SETTING, String(offsetMs))
  )
  const webhooks = createWebhookDispatcher({ db, clock, retryDelayScale: options.retryDelayScale ?? 1 })
  const faults = new Faults()
  const rateLimiter = new RateLimiter(clock, options.rateLimit ?? null)
  const requests = new RequestTally()
  const idempotency = new IdempotencyStore(db, clock)
  const outbox = new Outbox({ state, clock, webhooks, faults, publishDelayMs: options.publishDelayMs ?? 1000 })
  const control = new SimulatorControl({ state, clock, webhooks })
  const profileConnections = new ProfileConnections({ state, clock, webhooks })

  const load = (target: { account: AccountId; profileId: string; platform?: string }, choice: ScenarioChoice): void => {
    loadScenario(state, clock, target, choice)
    state.setSetting(profileSetSetting(target.account), choice.multiProfile ? 'multi' : 'single')
  }

  const createAccount = (input: { platform?: string; scenario?: ScenarioChoice; apiKey?: string } = {}): AccountSummary => {
    const account = newId('acct')
    const apiKey = input.apiKey ?? newApiKey()
    const profileId = newId('prof')
    state.addAccount({ id: account, apiKey })
    load({ account, profileId, platform: input.platform }, input.scenario ?? { name: 'empty', seed: 1 })
    return { account, apiKey, profileId, profileIds: state.profiles(account).map((profile) => profile.id) }
  }

  const reset = (account: AccountId, choice: ScenarioChoice): void => {
    const profileId = state.profiles(account)[0]?.id ?? newId('prof')
    const multiProfile = choice.multiProfile ?? state.setting(profileSetSetting(account)) === 'multi'
    state.clearAccountData(account)
    idempotency.clearAccount(account)
    load({ account, profileId }, { ...choice, multiProfile })
  }

  const primary = primaryAccount(state, options, createAccount)

  const deps: ApiDeps = {
    state,
    clock,
    outbox,
    control,
    profileConnections,
    webhooks,
    faults,
    rateLimiter,
    requests,
    strictWindow: options.strictWindow ?? false,
    resetAccount: reset,
    createAccount
  }
  const router = new Router([
    ...profileRoutes(deps),
    ...iceBreakerRoutes(deps),
    ...chatRoutes(deps),
    ...messageRoutes(deps),
    ...sendRoutes(deps),
    ...reactionRoutes(deps),
    ...postRoutes(deps),
    ...commentRoutes(deps),
    ...privateReplyRoutes(deps),
    ...webhookRoutes(deps),
    ...controlRoutes(deps),
    ...profileControlRoutes(deps),
    ...tapRoutes(deps)
  ])
  server.on('request', createRequestHandler({ state, router, faults, rateLimiter, idempotency, tally: requests, latencyMs: options.latencyMs ?? 0 }))
  outbox.resumeUnsettled()

  // One set of personas per profile with DMs, each as lively as the single demo profile's would be
  // alone divided among them, so the whole inbox keeps the configured pace.
  const dmProfiles = state.profiles(primary.account).filter((profile) => profile.platform === 'instagram' || profile.platform === 'facebook')
  const personas: RunningPersonas[] = options.alive
    ? dmProfiles.map((profile) =>
        startPersonas({
          account: primary.account,
          profileId: profile.id,
          platform: profile.platform,
          control,
          clock,
          seed: options.seed ?? 1,
          meanIntervalMs: (options.aliveIntervalMs ?? 8000) * dmProfiles.length
        })
      )
    : []

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      for (const running of personas) running.stop()
      faults.clear() // lets stalled requests finish so the server can close
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await serverClosed
      clock.close()
      await webhooks.close()
      db.close()
    })()
    return closing
  }

  return {
    url,
    apiKey: primary.apiKey,
    profileId: primary.profileId,
    get profileIds() {
      return state.profiles(primary.account).map((profile) => profile.id)
    },
    account: primary.account,
    clock,
    control,
    profileConnections,
    webhooks,
    faults,
    rateLimiter,
    requests,
    state,
    createAccount,
    reset,
    close
  }
}

/** The account the CLI prints: the one a reused data file already has, or a new one with the scenario. */
function primaryAccount(
  state: SimState,
  options: SimulatorOptions,
  createAccount: (input: { scenario?: ScenarioChoice; apiKey?: string }) => AccountSummary
): AccountSummary {
  const existingId = state.setting(PRIMARY_ACCOUNT_SETTING)
  const existing = existingId ? state.accounts().find((account) => account.id === existingId) : undefined
  const profileIds = existing ? state.profiles(existing.id).map((profile) => profile.id) : []
  if (existing && profileIds.length > 0) {
    if (options.apiKey && options.apiKey !== existing.apiKey) state.setApiKey(existing.id, options.apiKey)
    return { account: existing.id, apiKey: options.apiKey ?? existing.apiKey, profileId: profileIds[0], profileIds }
  }
  const created = createAccount({ scenario: scenarioFromOptions(options), apiKey: options.apiKey })
  state.setSetting(PRIMARY_ACCOUNT_SETTING, created.account)
  return created
}
