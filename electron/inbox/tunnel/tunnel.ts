// The tunnel as the rest of the core sees it: pairing, the relay client, and the REST reconcile that
// backs it up, behind start()/stop() and one `status` (shared/inbox-api.ts TunnelStatus).
//
// Reconcile triggers (RELAY.md): at start, after a disconnect longer than a minute, on a relay `gap`,
// when an event could not be applied in full, and every 15 minutes.
import { EventEmitter } from 'node:events'
import type { TunnelStatus } from '../../../shared/inbox-api.ts'
import { relayAddressProblem } from '../../../shared/relay-address.ts'
import type { CommentCreatedData } from '../../../shared/postproxy-comments.ts'
import type { PostproxyClient } from '../postproxy/client.ts'
import type { SecretStore } from '../secrets/index.ts'
import type { InboxStore } from '../store/index.ts'
import { EventApplier, type AppliedChanges } from './event-applier.ts'
import type { StreamState } from './event-stream-connection.ts'
import { TunnelPairing, type PairingRecord, type UnpairReport } from './pairing.ts'
import { ReconcileScheduler } from './reconcile-scheduler.ts'
import type { ReconnectDelayOptions } from './reconnect-delay.ts'
import { RelayClient, type FrameOutcome, type GapNotice } from './relay-client.ts'

export type TunnelEvents = {
  status: [TunnelStatus]
  /** A webhook event changed the cache (after its commit); `newInbound` is what to notify about. */
  changes: [AppliedChanges]
  frame: [FrameOutcome]
  /** Frames that committed together in one transaction (see RelayClientEvents). */
  committed: [{ frames: number; upTo: number }]
  gap: [GapNotice]
  reconcile: [{ reason: string; ok: boolean }]
}

export interface TunnelOptions {
  store: InboxStore
  secrets: SecretStore
  client: Pick<PostproxyClient, 'getChat' | 'createWebhook' | 'deleteWebhook' | 'getWebhook'>
  /** InboxSync.reconcile, typically; `reason` says what asked for it ('periodic' for the 15-min timer). */
  reconcile: (reason: string) => Promise<unknown>
  /** A verified new comment, inside its event's transaction (see EventApplierOptions.onComment). Default: nothing. */
  onComment?: (comment: CommentCreatedData) => void
  fetch?: typeof globalThis.fetch
  watchdogMs?: number
  delay?: Partial<ReconnectDelayOptions>
  ack?: { maxBatch?: number; maxDelayMs?: number }
  /** Frames applied in one transaction at most (see RelayClientOptions.framesPerTransaction). */
  framesPerTransaction?: number
  /** Default 15 min. */
  reconcileIntervalMs?: number
  /** A disconnect longer than this is followed by a reconcile. Default 60 s. */
  longDisconnectMs?: number
  toleranceSec?: number
  secretsRefreshMinIntervalMs?: number
  /** How long a retired webhook secret is still accepted (see pairing.ts). */
  secretGraceMs?: number
  /** Processed event ids older than this are forgotten at start. Must exceed the relay's retention (7 days). Default 14 days. */
  processedEventRetentionMs?: number
  random?: () => number
  now?: () => number
  log?: (line: string) => void
}

const DEFAULT_RECONCILE_INTERVAL_MS = 15 * 60_000
const DEFAULT_LONG_DISCONNECT_MS = 60_000
const DEFAULT_PROCESSED_EVENT_RETENTION_MS = 14 * 24 * 3600_000

export class Tunnel extends EventEmitter<TunnelEvents> {
  readonly pairing: TunnelPairing
  private readonly options: TunnelOptions
  private readonly applier: EventApplier
  private readonly scheduler: ReconcileScheduler
  private readonly now: () => number
  private readonly log: (line: string) => void
  private client: RelayClient | null = null
  private currentStatus: TunnelStatus = { state: 'not_paired' }
  private disconnectedSince: number | null = null
  private starting: Promise<void> | null = null

  constructor(options: TunnelOptions) {
    super()
    this.options = options
    this.now = options.now ?? Date.now
    this.log = options.log ?? (() => {})
    this.pairing = new TunnelPairing({
      store: options.store,
      secrets: options.secrets,
      client: options.client,
      fetch: options.fetch,
      now: this.now,
      secretGraceMs: options.secretGraceMs,
      log: this.log
    })
    this.applier = new EventApplier({ store: options.store, client: options.client, onComment: options.onComment, log: this.log })
    this.scheduler = new ReconcileScheduler({
      reconcile: options.reconcile,
      intervalMs: options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
      log: this.log,
      onRun: (run) => this.emit('reconcile', run)
    })
    this.currentStatus = this.pairing.current() ? { state: 'reconnecting', nextAttemptAt: new Date(this.now()).toISOString(), signatureFailures: 0 } : { state: 'not_paired' }
  }

  get status(): TunnelStatus {
    return this.currentStatus
  }

  /** The relay this desktop is paired with (no secrets); null when not paired. */
  get pairingRecord(): PairingRecord | null {
    return this.pairing.current()
  }

  /** The running relay client (tests and diagnostics); null when stopped or not paired. */
  get relayClient(): RelayClient | null {
    return this.client
  }

  /** Connects when paired; otherwise reports `not_paired`. Safe to call again. */
  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => (this.starting = null))
    return this.starting
  }

  async stop(): Promise<void> {
    // A start that failed has nothing to stop.
    await this.starting?.catch(() => undefined)
    const client = this.client
    this.client = null
    await client?.stop()
    await this.scheduler.stop()
  }

  /** OS resume or network back. */
  reconnectNow(): void {
    this.client?.reconnectNow()
  }

  /** Asks for a REST reconcile now (e.g. the creator pressed "sync"). */
  requestReconcile(reason = 'requested'): Promise<void> {
    return this.scheduler.request(reason)
  }

  /**
   * Pairs with a relay as a switch-over: the new channel, device and webhook are built while the current
   * stream keeps delivering; only then does the stream move to the new channel and the old pairing get
   * retired. A failure before the switch changes nothing — the current tunnel and its status stay as they are.
   */
  async pair(input: { relayUrl: string; adminToken: string }): Promise<PairingRecord> {
    const prepared = await this.pairing.prepare(input)
    await this.stop()
    const replaced = this.pairing.switchTo(prepared)
    try {
      await this.start()
    } catch (error) {
      this.setStatus({ state: 'needs_pairing', reason: `Paired with the relay, but the connection could not start: ${error instanceof Error ? error.message : String(error)}` })
      throw error
    } finally {
      await this.pairing.retire(replaced, { adminToken: input.adminToken })
    }
    return prepared.record
  }

  async unpair(input: { adminToken?: string; force?: boolean } = {}): Promise<UnpairReport> {
    await this.stop()
    const report = await this.pairing.unpair(input)
    this.setStatus({ state: 'not_paired' })
    return report
  }

  async rotateWebhookSecret(input: { overlapMs?: number } = {}): Promise<{ webhookId: string }> {
    const result = await this.pairing.rotateWebhookSecret(input)
    this.client?.reloadSecrets()
    return result
  }

  /** Ends overlaps that are over (run at start, and by the app from time to time). */
  async retireExpiredSecrets(): Promise<void> {
    const result = await this.pairing.retireExpired()
    if (result.secretsForgotten.length > 0) this.client?.reloadSecrets()
  }

  private async startOnce(): Promise<void> {
    if (this.client) return
    const endpoint = await this.pairing.endpoint()
    if (!endpoint) {
      this.setStatus(
        this.pairing.current()
          ? { state: 'needs_pairing', reason: 'The relay pass for this computer is missing from the system keychain. Pair with the relay again.' }
          : { state: 'not_paired' }
      )
      return
    }
    // A pairing kept from before addresses were checked (#12.6) must not send the device token in clear.
    const insecure = relayAddressProblem(endpoint.relayUrl)
    if (insecure !== null) {
      this.setStatus({ state: 'needs_pairing', reason: `${insecure} Pair with the relay again at its https:// address.` })
      return
    }
    await this.retireExpiredSecrets().catch((error: unknown) => this.log(`could not retire old webhook secrets: ${String(error)}`))
    // No redelivery can be older than the relay keeps events, so older ids only take space.
    this.options.store.webhookEvents.pruneProcessed(this.now() - (this.options.processedEventRetentionMs ?? DEFAULT_PROCESSED_EVENT_RETENTION_MS))
    if ((await this.pairing.webhookSecrets()).length === 0) {
      this.setStatus({ state: 'needs_pairing', reason: 'The webhook secret is missing from the system keychain, so messages could not be checked. Pair with the relay again.' })
      return
    }
    const o = this.options
    const client = new RelayClient({
      endpoint,
      store: o.store,
      applier: this.applier,
      webhookSecrets: () => this.pairing.webhookSecrets(),
      fetch: o.fetch,
      watchdogMs: o.watchdogMs,
      delay: o.delay,
      random: o.random,
      now: this.now,
      ack: o.ack,
      framesPerTransaction: o.framesPerTransaction,
      toleranceSec: o.toleranceSec,
      secretsRefreshMinIntervalMs: o.secretsRefreshMinIntervalMs,
      log: this.log
    })
    client.on('state', (state) => this.onStreamState(client, state))
    client.on('frame', (frame) => this.onFrame(frame))
    client.on('committed', (batch) => this.emit('committed', batch))
    client.on('gap', (gap) => {
      this.emit('gap', gap)
      void this.scheduler.request('gap')
    })
    this.client = client
    this.disconnectedSince = null
    this.scheduler.start()
    void this.scheduler.request('start')
    client.start()
  }

  private onFrame(frame: FrameOutcome): void {
    this.emit('frame', frame)
    if (frame.result === 'applied') {
      this.emit('changes', frame.changes)
      if (frame.changes.needsReconcile) void this.scheduler.request('incomplete event')
    } else if (frame.result === 'skipped') {
      void this.scheduler.request('event skipped')
    }
    if (frame.result === 'rejected' && this.client) this.refreshFailureCount(this.client)
  }

  private onStreamState(client: RelayClient, state: StreamState): void {
    if (client !== this.client) return
    const failures = client.signatureFailures
    switch (state.kind) {
      case 'open':
        if (this.disconnectedSince !== null && this.now() - this.disconnectedSince > (this.options.longDisconnectMs ?? DEFAULT_LONG_DISCONNECT_MS)) {
          void this.scheduler.request('long disconnect')
        }
        this.disconnectedSince = null
        this.setStatus({ state: 'connected', signatureFailures: failures })
        return
      case 'connecting':
        this.disconnectedSince ??= this.now()
        this.setStatus({ state: 'reconnecting', nextAttemptAt: new Date(this.now()).toISOString(), signatureFailures: failures })
        return
      case 'waiting':
        this.disconnectedSince ??= this.now()
        this.setStatus({ state: 'reconnecting', nextAttemptAt: new Date(state.nextAttemptAt).toISOString(), signatureFailures: failures })
        return
      case 'refused':
        this.log(`the relay refused this computer (${state.status}): ${state.message}`)
        void this.scheduler.stop()
        this.setStatus({
          state: 'needs_pairing',
          reason:
            state.status === 401
              ? 'The relay no longer accepts this computer (it was unpaired or its pass was revoked). Pair with the relay again to get messages instantly.'
              : 'The relay refused this computer for this channel. Pair with the relay again to get messages instantly.'
        })
        return
      case 'stopped':
        return
    }
  }

  private refreshFailureCount(client: RelayClient): void {
    const status = this.currentStatus
    if (status.state === 'connected' || status.state === 'reconnecting') this.setStatus({ ...status, signatureFailures: client.signatureFailures })
  }

  private setStatus(status: TunnelStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.currentStatus)) return
    this.currentStatus = status
    this.emit('status', status)
  }
}
