// Per-test wiring for the tunnel: a real simulator (Postproxy), a real relay, a real store in a temp dir,
// an in-memory secret store, the pairing done through the real APIs, and tunnels with test-sized
// timings. Waiting is event-driven: helpers resolve on the tunnel's own events, each bounded in time.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventEmitter } from 'node:events'
import { startRelay, type RelayHandle, type RelayOptions } from '../../../relay/index.ts'
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator/index.ts'
import { createPostproxyClient, postproxySignatureHeader, type PostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { openStore, type InboxStore } from '../../../electron/inbox/store/index.ts'
import { Tunnel, type TunnelOptions } from '../../../electron/inbox/tunnel/tunnel.ts'
import { TunnelPairing } from '../../../electron/inbox/tunnel/pairing.ts'
import type { FrameOutcome } from '../../../electron/inbox/tunnel/relay-client.ts'
import type { TunnelStatus } from '../../../shared/inbox-api.ts'

export const ADMIN_TOKEN = 'tunnel-test-admin-token-0123456789'
const DEFAULT_WAIT_MS = 15_000

export interface ManualClock {
  now(): number
  advance(ms: number): void
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start
  return { now: () => now, advance: (ms) => void (now += ms) }
}

export interface TestTunnel {
  tunnel: Tunnel
  store: InboxStore
  frames: FrameOutcome[]
  statuses: TunnelStatus[]
  logs: string[]
  reconciles: string[]
  /** Resolves once the store's cursor reached `seq` (checked now, then on every frame). */
  untilCursor(seq: number, timeoutMs?: number): Promise<void>
  /** Resolves with the first status (current or later) in `state`. */
  untilStatus<S extends TunnelStatus['state']>(state: S, timeoutMs?: number): Promise<Extract<TunnelStatus, { state: S }>>
}

export interface TunnelWorld {
  sim: RunningSimulator
  /** Null when the relay runs outside the test process (a child process). */
  relay: RelayHandle | null
  relayUrl: string
  client: PostproxyClient
  store: InboxStore
  storePath: string
  secrets: MemorySecretStore
  dir: string
  /** The pairing of the world's store and secrets. */
  pairing: TunnelPairing
  /** Pairs through the tunnel API (channel, device, webhook, secrets); `relayUrl` defaults to the relay's own. */
  pair(relayUrl?: string): Promise<void>
  /** A tunnel on `store` (default: the world's), started; stopped by close(). */
  startTunnel(overrides?: Partial<TunnelOptions> & { store?: InboxStore; secrets?: MemorySecretStore }): Promise<TestTunnel>
  ingestUrl(): Promise<string>
  webhookSecret(): Promise<string>
  /** The relay's newest seq on the paired channel. */
  head(): Promise<number>
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
  /** POSTs bytes to the ingest URL; answers the relay's status and seq. */
  postToIngest(body: string | Uint8Array, headers: Record<string, string>, url?: string): Promise<{ status: number; seq: number | null }>
  /** A request signed as Postproxy would sign it. */
  signedPost(body: string | Uint8Array, options?: { secret?: string; t?: number; eventType?: string }): Promise<{ status: number; seq: number | null }>
  /** Waits until every simulator delivery is done, then until `tunnel` has consumed the relay's head. */
  settle(tunnel: TestTunnel, timeoutMs?: number): Promise<number>
  close(): Promise<void>
}

export interface TunnelWorldOptions {
  sim?: SimulatorOptions
  relay?: RelayOptions
  /** Use a relay that runs elsewhere (a child process) instead of starting one. */
  relayUrl?: string
  pair?: boolean
}

/** Resolves once `check()` is true: checked now and after every `event` of `emitter`. */
export function until(emitter: EventEmitter<any>, events: string[], check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      let done = false
      try {
        done = check()
      } catch (error) {
        finish()
        reject(error)
        return
      }
      if (done) {
        finish()
        resolve()
      }
    }
    const finish = (): void => {
      clearTimeout(timer)
      for (const event of events) emitter.off(event, attempt)
    }
    const timer = setTimeout(() => {
      finish()
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
    }, timeoutMs)
    for (const event of events) emitter.on(event, attempt)
    attempt()
  })
}

export async function tunnelWorld(options: TunnelWorldOptions = {}): Promise<TunnelWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-tunnel-'))
  const sim = await startSimulator({ scenario: 'empty', seed: 7, retryDelayScale: 0.001, ...options.sim })
  const relay = options.relayUrl ? null : await startRelay({ adminToken: ADMIN_TOKEN, dataDir: join(dir, 'relay'), heartbeatMs: 250, retryMs: 100, rateLimit: false, synchronous: 'normal', ...options.relay })
  const relayUrl = options.relayUrl ?? relay!.url
  const storePath = join(dir, 'inbox.db')
  const store = openStore(storePath)
  const secrets = new MemorySecretStore()
  const client = createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey, requestRate: null, backoff: { baseMs: 20, maxMs: 200 } })
  const tunnels: TestTunnel[] = []
  const extraStores: InboxStore[] = []

  const pairing = new TunnelPairing({ store, secrets, client })
  let pairedChannelId = ''

  const world: TunnelWorld = {
    sim,
    relay,
    relayUrl,
    client,
    store,
    storePath,
    secrets,
    dir,
    pairing,
    async pair(url = relayUrl) {
      pairedChannelId = (await pairing.pair({ relayUrl: url, adminToken: ADMIN_TOKEN })).channelId
    },
    async startTunnel(overrides = {}) {
      const tunnelStore = overrides.store ?? store
      if (overrides.store && overrides.store !== store) extraStores.push(overrides.store)
      const frames: FrameOutcome[] = []
      const statuses: TunnelStatus[] = []
      const logs: string[] = []
      const reconciles: string[] = []
      const tunnel = new Tunnel({
        client,
        reconcile: async () => {},
        delay: { minMs: 20, maxMs: 200 },
        watchdogMs: 5_000,
        ack: { maxDelayMs: 50 },
        reconcileIntervalMs: 3_600_000,
        secretsRefreshMinIntervalMs: 0,
        log: (line) => logs.push(line),
        ...overrides,
        store: tunnelStore,
        secrets: overrides.secrets ?? secrets
      })
      tunnel.on('frame', (frame) => frames.push(frame))
      tunnel.on('status', (status) => statuses.push(status))
      tunnel.on('reconcile', (run) => reconciles.push(run.reason))
      const handle: TestTunnel = {
        tunnel,
        store: tunnelStore,
        frames,
        statuses,
        logs,
        reconciles,
        untilCursor: (seq, timeoutMs = DEFAULT_WAIT_MS) =>
          until(tunnel, ['frame'], () => (tunnelStore.webhookEvents.cursor() ?? 0) >= seq, timeoutMs, `the cursor to reach ${seq}`),
        async untilStatus(state, timeoutMs = DEFAULT_WAIT_MS) {
          await until(tunnel, ['status'], () => tunnel.status.state === state, timeoutMs, `tunnel status ${state}`)
          return tunnel.status as any
        }
      }
      tunnels.push(handle)
      await tunnel.start()
      return handle
    },
    async ingestUrl() {
      const keys = pairing.webhookKeys()
      const current = keys.find((key) => key.retireAt === null) ?? keys[keys.length - 1]
      return (await client.getWebhook(current.webhookId)).url
    },
    async webhookSecret() {
      const secrets = await pairing.webhookSecrets()
      return secrets[secrets.length - 1]
    },
    async head() {
      return (await world.admin('GET', `/v1/channels/${pairedChannelId}`)).body.head as number
    },
    async admin(method, path, body) {
      const response = await fetch(relayUrl + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const text = await response.text()
      return { status: response.status, body: text ? JSON.parse(text) : null }
    },
    async postToIngest(body, headers, url) {
      const response = await fetch(url ?? (await world.ingestUrl()), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
      const text = await response.text()
      const parsed = text ? (JSON.parse(text) as { seq?: number }) : {}
      return { status: response.status, seq: typeof parsed.seq === 'number' ? parsed.seq : null }
    },
    async signedPost(body, signOptions = {}) {
      const secret = signOptions.secret ?? (await world.webhookSecret())
      const t = signOptions.t ?? Math.floor(Date.now() / 1000)
      return world.postToIngest(body, {
        'x-postproxy-event': signOptions.eventType ?? 'message.received',
        'x-postproxy-delivery': `dlv_test_${Math.random().toString(36).slice(2)}`,
        'x-postproxy-signature': postproxySignatureHeader(secret, t, body)
      })
    },
    async settle(tunnel, timeoutMs = DEFAULT_WAIT_MS) {
      await sim.webhooks.idle()
      const head = await world.head()
      await tunnel.untilCursor(head, timeoutMs)
      return head
    },
    async close() {
      for (const handle of tunnels) await handle.tunnel.stop()
      await sim.close()
      await relay?.close()
      for (const extra of extraStores) extra.close()
      store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  if (options.pair !== false) await world.pair()
  return world
}

/** An envelope as Postproxy sends it, for crafted requests. */
export function envelope(type: string, data: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `evt_test_${Math.random().toString(36).slice(2)}`, object: 'event', type, created_at: new Date().toISOString(), data, ...overrides }
}
