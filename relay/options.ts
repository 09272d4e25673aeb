// The relay's settings: what a caller may pass to startRelay, the defaults of RELAY.md, and the checks
// that turn a nonsensical combination into one sentence an operator can act on, before anything starts.

export interface RetentionSettings {
  /** Events older than this are deleted whatever their ack state (RELAY.md: 7 days). */
  maxAgeMs: number
  /** Once every active device of a channel acked an event, it is kept this much longer (RELAY.md: 24 h). */
  ackedGraceMs: number
  /** Per-channel cap on stored events; the oldest are evicted first. */
  channelMaxEvents: number
  /** Per-channel cap on stored bytes (body + headers); the oldest are evicted first. */
  channelMaxBytes: number
  /** How often the background sweep runs (age and ack rules; caps are enforced at ingest). */
  sweepIntervalMs: number
}

export interface RateLimitSettings {
  /** Sustained events per second accepted per channel (per ingest URL). */
  eventsPerSecond: number
  /** How many events a channel may send at once before the sustained rate applies. */
  burst: number
  /** Sustained webhook body bytes per second accepted per channel. */
  bytesPerSecond: number
  /** How many body bytes a channel may send at once; at least the body limit, or a largest webhook could never pass. */
  burstBytes: number
}

/**
 * `full`: every commit is fsynced (durable across a power cut). `normal`: in WAL mode a commit is durable
 * against a crash of the relay process (kill -9) but the last commits may be lost on a power cut.
 */
export type SynchronousMode = 'full' | 'normal'

export interface RelayOptions {
  /** TCP port; 0 picks a free one. */
  port?: number
  /** Interface to listen on; loopback by default, so exposing the relay is a deliberate choice. */
  host?: string
  /** Directory of the SQLite database. Omitted: a temporary directory removed on close. */
  dataDir?: string
  /** Bearer token for the admin calls. Omitted: a random one, returned by startRelay. */
  adminToken?: string
  /** Public base URL used to build ingest URLs (e.g. `https://relay.example.com` behind a TLS proxy). */
  publicUrl?: string
  /** Interval of `heartbeat` frames on event streams (RELAY.md: at least every 15 s). */
  heartbeatMs?: number
  /** The `retry:` hint sent at the start of every stream. */
  retryMs?: number
  /** Largest accepted webhook body (RELAY.md: 1 MiB). */
  bodyLimitBytes?: number
  retention?: Partial<RetentionSettings>
  /** Token bucket per channel; `false` turns rate limiting off. */
  rateLimit?: Partial<RateLimitSettings> | false
  synchronous?: SynchronousMode
  /** A stream whose socket stays full (its reader takes nothing) this long is closed; the device reconnects and resumes. */
  stalledStreamTimeoutMs?: number
  /** Open event streams per channel (one per device: a device's new stream replaces its old one). Over it: 429. */
  maxStreamsPerChannel?: number
  /** Open event streams on the whole relay. Over it: 503. */
  maxStreams?: number
  /** Serve the read-only smee.io-compatible stream at `GET /smee/:device_token` (off by default). */
  smeeStream?: boolean
  /** Open TCP connections at most; at the cap a new one replaces the longest-idle one (connection-guard.ts). */
  maxConnections?: number
  /** A connection must finish sending its request headers within this time (slowloris). */
  headersTimeoutMs?: number
  /** A request (headers and body) must be received within this time. Streams are responses: not limited. */
  requestTimeoutMs?: number
  /**
   * How often those two deadlines are checked. Default a quarter of the headers timeout, at most 1 s, so a
   * timeout means what it says; an embedded relay serving only its own computer (demo mode) can check
   * rarely and let an idle app sleep.
   */
  deadlineCheckIntervalMs?: number
  /** The clock, in epoch milliseconds: tests move it to exercise retention without waiting. */
  now?: () => number
  /** Operational log lines (never bodies, headers or tokens). Silent by default. */
  log?: (line: string) => void
}

export interface RelayConfig {
  port: number
  host: string
  dataDir: string | null
  adminToken: string | null
  publicUrl: string | null
  heartbeatMs: number
  retryMs: number
  bodyLimitBytes: number
  retention: RetentionSettings
  rateLimit: RateLimitSettings | null
  synchronous: SynchronousMode
  stalledStreamTimeoutMs: number
  maxStreamsPerChannel: number
  maxStreams: number
  smeeStream: boolean
  maxConnections: number
  headersTimeoutMs: number
  requestTimeoutMs: number
  deadlineCheckIntervalMs: number
  now: () => number
  log: (line: string) => void
}

const SECOND = 1000
const HOUR = 3600 * SECOND
const DAY = 24 * HOUR
const MIB = 1024 * 1024

export const DEFAULT_RETENTION: RetentionSettings = {
  maxAgeMs: 7 * DAY,
  ackedGraceMs: 24 * HOUR,
  channelMaxEvents: 10_000,
  channelMaxBytes: 100 * MIB,
  sweepIntervalMs: 60 * SECOND
}

// Postproxy delivers one event per DM action, a few KB each (media travel as URLs); 100/s sustained with a
// burst of 1,000 is far above any creator's inbox yet stops a leaked ingest URL from filling the disk at wire
// speed. 1 MiB/s with a 16 MiB burst is ten times what 100 such webhooks a second weigh, and a burst of it is
// a sixth of the per-channel cap (100 MiB), so a burst of large bodies cannot evict the stored events.
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { eventsPerSecond: 100, burst: 1000, bytesPerSecond: MIB, burstBytes: 16 * MIB }

export const DEFAULT_BODY_LIMIT_BYTES = MIB
export const DEFAULT_HEARTBEAT_MS = 15 * SECOND
export const DEFAULT_RETRY_MS = 5 * SECOND
/** Below the desktop's own 40 s silence detection: by then it has reconnected, so the old stream only costs memory. */
export const DEFAULT_STALLED_STREAM_TIMEOUT_MS = 30 * SECOND
/** A creator's desktops, with room to spare; each device holds at most one. */
export const DEFAULT_MAX_STREAMS_PER_CHANNEL = 10
/** A stalled stream can hold ~2 MB (a page of events plus a frame in its buffer): 256 bound that to ~0.5 GB. */
export const DEFAULT_MAX_STREAMS = 256
/** Far above one creator's desktops and Postproxy's concurrent deliveries; each idle socket costs a few KiB. */
export const DEFAULT_MAX_CONNECTIONS = 1024
/** A real client sends its headers in one packet; 10 s covers a slow mobile link many times over. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10 * SECOND
/** The whole webhook (≤ 1 MiB) must arrive within this; Postproxy itself gives up after 30 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30 * SECOND
/** Admin tokens shorter than this are refused: the admin token can create devices that read every DM. */
export const MIN_ADMIN_TOKEN_LENGTH = 16

export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RelayConfigError'
  }
}

export function resolveRelayConfig(options: RelayOptions = {}): RelayConfig {
  const retention: RetentionSettings = { ...DEFAULT_RETENTION, ...definedOnly(options.retention ?? {}) }
  const rateLimit = options.rateLimit === false ? null : { ...DEFAULT_RATE_LIMIT, ...definedOnly(options.rateLimit ?? {}) }
  const config: RelayConfig = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir ?? null,
    adminToken: options.adminToken ?? null,
    publicUrl: options.publicUrl ? options.publicUrl.replace(/\/+$/, '') : null,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    retryMs: options.retryMs ?? DEFAULT_RETRY_MS,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    retention,
    rateLimit,
    synchronous: options.synchronous ?? 'full',
    stalledStreamTimeoutMs: options.stalledStreamTimeoutMs ?? DEFAULT_STALLED_STREAM_TIMEOUT_MS,
    maxStreamsPerChannel: options.maxStreamsPerChannel ?? DEFAULT_MAX_STREAMS_PER_CHANNEL,
    maxStreams: options.maxStreams ?? DEFAULT_MAX_STREAMS,
    smeeStream: options.smeeStream ?? false,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    deadlineCheckIntervalMs:
      options.deadlineCheckIntervalMs ?? Math.min(1000, Math.max(50, Math.floor((options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS) / 4))),
    now: options.now ?? Date.now,
    log: options.log ?? (() => {})
  }
  validate(config)
  return config
}

function validate(config: RelayConfig): void {
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new RelayConfigError(`The port must be a whole number from 0 to 65535, not ${config.port}.`)
  }
  positive('heartbeatMs', config.heartbeatMs)
  positive('retryMs', config.retryMs)
  positive('bodyLimitBytes', config.bodyLimitBytes)
  positive('stalledStreamTimeoutMs', config.stalledStreamTimeoutMs)
  positive('headersTimeoutMs', config.headersTimeoutMs)
  positive('requestTimeoutMs', config.requestTimeoutMs)
  positive('deadlineCheckIntervalMs', config.deadlineCheckIntervalMs)
  atLeastOne('maxConnections', config.maxConnections)
  atLeastOne('maxStreamsPerChannel', config.maxStreamsPerChannel)
  atLeastOne('maxStreams', config.maxStreams)
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new RelayConfigError(
      `The headers timeout (${config.headersTimeoutMs} ms) cannot be longer than the request timeout (${config.requestTimeoutMs} ms), which includes the headers.`
    )
  }
  positive('retention.maxAgeMs', config.retention.maxAgeMs)
  nonNegative('retention.ackedGraceMs', config.retention.ackedGraceMs)
  positive('retention.channelMaxEvents', config.retention.channelMaxEvents)
  positive('retention.sweepIntervalMs', config.retention.sweepIntervalMs)
  if (config.retention.channelMaxBytes < config.bodyLimitBytes) {
    throw new RelayConfigError(
      `The per-channel storage cap (${config.retention.channelMaxBytes} bytes) must be at least the body limit (${config.bodyLimitBytes} bytes), or a single webhook could never be stored.`
    )
  }
  if (config.rateLimit) {
    positive('rateLimit.eventsPerSecond', config.rateLimit.eventsPerSecond)
    if (!(config.rateLimit.burst >= 1)) throw new RelayConfigError('rateLimit.burst must be at least 1.')
    positive('rateLimit.bytesPerSecond', config.rateLimit.bytesPerSecond)
    if (!(config.rateLimit.burstBytes >= config.bodyLimitBytes)) {
      throw new RelayConfigError(
        `rateLimit.burstBytes (${config.rateLimit.burstBytes}) must be at least the body limit (${config.bodyLimitBytes} bytes), or a webhook of the largest accepted size could never pass.`
      )
    }
  }
  if (config.synchronous !== 'full' && config.synchronous !== 'normal') {
    throw new RelayConfigError(`synchronous must be "full" or "normal", not "${String(config.synchronous)}".`)
  }
  if (config.adminToken !== null && config.adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new RelayConfigError(
      `The admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long; leave it out to have a random one generated.`
    )
  }
  if (config.publicUrl !== null) {
    let parsed: URL
    try {
      parsed = new URL(config.publicUrl)
    } catch {
      throw new RelayConfigError(`The public URL "${config.publicUrl}" is not a valid URL.`)
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new RelayConfigError(`The public URL must start with https:// (or http:// for local tests), not ${parsed.protocol}.`)
    }
  }
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RelayConfigError(`${name} must be a positive number, not ${value}.`)
}

function atLeastOne(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) throw new RelayConfigError(`${name} must be a whole number of 1 or more, not ${value}.`)
}

function nonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new RelayConfigError(`${name} must be zero or more, not ${value}.`)
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
