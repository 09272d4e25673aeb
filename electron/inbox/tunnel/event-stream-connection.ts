// A text/event-stream subscription that stays up by itself: its own reconnect loop over fetch (not
// EventSource, which stops for good after one non-200 answer), exponential backoff with full jitter,
// Retry-After honoured, and a watchdog that treats a silent stream as a dead one. It stops only when told
// to, or when the server answers 401/403 (the credentials are no longer valid: waiting will not fix it).
//
// A line or event larger than the parser's cap (sse-parser.ts) drops the connection, counts as a failed
// attempt (the backoff grows, however much the stream delivered before) and is counted in `oversizedFrames`.
//
// The events parsed from one read are handed over together and awaited: the next bytes are not read
// before the handler is done, so the handler sees the stream strictly in order, can apply what arrived
// together in one go (a catch-up's backlog arrives in large reads), and socket backpressure reaches the
// server.
import { DEFAULT_RECONNECT_DELAY, reconnectDelayMs, type ReconnectDelayOptions } from './reconnect-delay.ts'
import { SseParser, SseSizeLimitError, type SseEvent, type SseParserOptions } from './sse-parser.ts'
import { streamFetch } from './stream-fetch.ts'

export type StreamState =
  /** Before the first attempt, and while an attempt waits for the answer. */
  | { kind: 'connecting' }
  /** The server answered 200 with an event stream. */
  | { kind: 'open' }
  /** Waiting before the next attempt; `failures` counts attempts that failed in a row. */
  | { kind: 'waiting'; nextAttemptAt: number; failures: number; reason: string }
  /** Terminal: 401/403. */
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'stopped' }

export interface EventStreamRequest {
  url: string
  headers: Record<string, string>
}

export interface EventStreamConnectionOptions {
  /** Built again before every attempt (the resume cursor lives in the store and moves). */
  request: () => EventStreamRequest | Promise<EventStreamRequest>
  /**
   * The events of one read, in stream order; awaited before more of the stream is read. A throw ends this
   * connection (it reconnects with backoff).
   */
  onEvents: (events: SseEvent[]) => void | Promise<void>
  onState?: (state: StreamState) => void
  /** Statuses that end the loop for good. Default 401 and 403. */
  terminalStatuses?: readonly number[]
  /** Reconnect when nothing at all (not even a heartbeat) arrived for this long. RELAY.md: ~40 s. */
  watchdogMs?: number
  /** Size caps of one line and one event (default 2 MiB each). */
  limits?: SseParserOptions
  delay?: Partial<ReconnectDelayOptions>
  /** Default streamFetch (node:http, no timer ticking while the stream idles). */
  fetch?: typeof globalThis.fetch
  random?: () => number
  now?: () => number
  log?: (line: string) => void
}

export const DEFAULT_WATCHDOG_MS = 40_000
/** Events gathered from reads that are ready at once, at most, before they are handed over. */
const MAX_EVENTS_PER_HANDOVER = 500

const NOT_READY = Symbol('not ready')
/** Resolves on the next turn of the event loop: a read that resolves before it had its data buffered already. */
function nextTurn(): Promise<typeof NOT_READY> {
  return new Promise((resolve) => setImmediate(() => resolve(NOT_READY)))
}

/** Why one connection ended; decides the wait before the next one. */
type ConnectionEnd =
  | { kind: 'failed'; reason: string; retryAfter?: string | null; delivered?: boolean }
  | { kind: 'closed'; delivered: boolean }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'interrupted' }

export class EventStreamConnection {
  private readonly options: EventStreamConnectionOptions
  private readonly delay: ReconnectDelayOptions
  private readonly watchdogMs: number
  private readonly terminal: ReadonlySet<number>
  private readonly fetchImpl: typeof globalThis.fetch
  private readonly random: () => number
  private readonly now: () => number
  private currentState: StreamState = { kind: 'stopped' }
  private running = false
  private loop: Promise<void> | null = null
  /** Aborts the connection in progress (stop, reconnectNow, watchdog). */
  private connectionAbort: AbortController | null = null
  /** Ends the wait between attempts early. */
  private wakeUp: (() => void) | null = null
  private skipWait = false
  private oversized = 0

  constructor(options: EventStreamConnectionOptions) {
    this.options = options
    this.delay = { ...DEFAULT_RECONNECT_DELAY, ...definedOnly(options.delay ?? {}) }
    this.watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS
    this.terminal = new Set(options.terminalStatuses ?? [401, 403])
    this.fetchImpl = options.fetch ?? streamFetch
    this.random = options.random ?? Math.random
    this.now = options.now ?? Date.now
  }

  get state(): StreamState {
    return this.currentState
  }

  /** Connections dropped because a line or an event outgrew the size cap. */
  get oversizedFrames(): number {
    return this.oversized
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run().catch((error: unknown) => {
      // run() handles every expected failure; this is a bug, but it must not go unnoticed nor crash the app.
      this.log(`the event stream loop stopped unexpectedly: ${describe(error)}`)
      this.setState({ kind: 'stopped' })
    })
  }

  /** Ends the connection and the loop; resolves once the handler is no longer running. */
  async stop(): Promise<void> {
    this.running = false
    this.connectionAbort?.abort()
    this.wakeUp?.()
    await this.loop
    this.loop = null
  }

  /** OS resume, network back: drop whatever connection there is (it may be half-open) and connect at once. */
  reconnectNow(): void {
    if (!this.running) return
    this.skipWait = true
    this.connectionAbort?.abort()
    this.wakeUp?.()
  }

  private async run(): Promise<void> {
    let failures = 0
    while (this.running) {
      this.skipWait = false
      this.setState({ kind: 'connecting' })
      const end = await this.connectOnce()
      if (!this.running) break
      if (end.kind === 'refused') {
        this.running = false
        this.setState({ kind: 'refused', status: end.status, message: end.message })
        return
      }
      if (end.kind === 'interrupted' || this.skipWait) {
        failures = 0
        continue
      }
      // A stream that delivered something was healthy, however it ended (closed, broke, went silent):
      // start the backoff over. One that ended without a byte counts as a failure, so a server that
      // accepts and hangs up is not hit in a loop.
      failures = end.delivered ? 1 : failures + 1
      const retryAfter = end.kind === 'failed' ? end.retryAfter : null
      const waitMs = reconnectDelayMs(failures, this.delay, this.random, retryAfter ? { header: retryAfter, nowMs: this.now() } : undefined)
      const reason = end.kind === 'failed' ? end.reason : 'the relay closed the stream'
      this.setState({ kind: 'waiting', nextAttemptAt: this.now() + waitMs, failures, reason })
      await this.sleep(waitMs)
    }
    this.setState({ kind: 'stopped' })
  }

  private async connectOnce(): Promise<ConnectionEnd> {
    const abort = new AbortController()
    this.connectionAbort = abort
    let watchdogFired = false
    let watchdog: NodeJS.Timeout | null = null
    const armWatchdog = (): void => {
      disarmWatchdog()
      watchdog = setTimeout(() => {
        watchdogFired = true
        this.log(`nothing arrived on the event stream for ${this.watchdogMs} ms; reconnecting`)
        abort.abort()
      }, this.watchdogMs)
    }
    const disarmWatchdog = (): void => {
      if (watchdog) clearTimeout(watchdog)
      watchdog = null
    }
    const interruptedOr = (end: ConnectionEnd): ConnectionEnd => {
      if (watchdogFired) {
        const delivered = 'delivered' in end && end.delivered === true
        return { kind: 'failed', reason: `the stream was silent for ${Math.round(this.watchdogMs / 1000)} s`, delivered }
      }
      if (abort.signal.aborted) return { kind: 'interrupted' }
      return end
    }

    let response: Response
    try {
      const request = await this.options.request()
      armWatchdog()
      response = await this.fetchImpl(request.url, {
        headers: { accept: 'text/event-stream', 'cache-control': 'no-store', ...request.headers },
        signal: abort.signal,
        redirect: 'error'
      })
    } catch (error) {
      disarmWatchdog()
      return interruptedOr({ kind: 'failed', reason: `could not reach the relay (${describe(error)})` })
    }

    if (this.terminal.has(response.status)) {
      disarmWatchdog()
      const message = await readErrorMessage(response)
      return { kind: 'refused', status: response.status, message }
    }
    const contentType = response.headers.get('content-type') ?? ''
    if (response.status !== 200 || !contentType.toLowerCase().startsWith('text/event-stream') || !response.body) {
      disarmWatchdog()
      await response.body?.cancel().catch(() => {})
      const reason =
        response.status === 200
          ? `the relay sent something that is not an event stream (${contentType || 'no content type'})`
          : `the relay answered HTTP ${response.status}`
      return interruptedOr({ kind: 'failed', reason, retryAfter: response.headers.get('retry-after') })
    }

    this.setState({ kind: 'open' })
    const parser = new SseParser(this.options.limits)
    const reader = response.body.getReader()
    let delivered = false
    /** A read started while gathering that was not ready yet: the next round waits for it. */
    let pendingRead: ReturnType<typeof reader.read> | null = null
    try {
      for (;;) {
        armWatchdog()
        const first = await (pendingRead ?? reader.read())
        pendingRead = null
        disarmWatchdog()
        let ended = first.done
        const events = ended ? [] : parser.push(first.value)
        if (!first.done && first.value.byteLength > 0) delivered = true
        // Whatever the stream has buffered already joins this hand-over — a catch-up's backlog arrives
        // faster than it is applied, so it is committed in large transactions — while a lone live event
        // goes on at once: a read not ready by the next turn of the event loop is left for the next round.
        while (!ended && events.length < MAX_EVENTS_PER_HANDOVER) {
          const next = reader.read()
          const ready = await Promise.race([next, nextTurn()])
          if (ready === NOT_READY) {
            pendingRead = next
            break
          }
          if (ready.done) ended = true
          else events.push(...parser.push(ready.value))
        }
        // Once stop() (or the watchdog) cut the connection, what is left unread is resumed from the cursor:
        // the handler commits whole events only.
        if (events.length > 0 && !abort.signal.aborted) await this.options.onEvents(events)
        if (ended) {
          parser.end()
          return interruptedOr({ kind: 'closed', delivered })
        }
        if (abort.signal.aborted) return interruptedOr({ kind: 'closed', delivered })
      }
    } catch (error) {
      if (error instanceof SseSizeLimitError) {
        this.oversized++
        this.log(`${error.message}; dropped the connection`)
        // Not a healthy stream, whatever came before: the backoff must grow, or a server repeating the
        // oversized frame would be reconnected to at the shortest delay forever.
        return interruptedOr({ kind: 'failed', reason: error.message, delivered: false })
      }
      return interruptedOr({ kind: 'failed', reason: `the stream broke (${describe(error)})`, delivered })
    } finally {
      disarmWatchdog()
      // A read left waiting rejects when the reader is cancelled: nobody else will look at it.
      pendingRead?.catch(() => {})
      reader.cancel().catch(() => {})
      abort.abort()
      if (this.connectionAbort === abort) this.connectionAbort = null
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wakeUp = () => {
        this.wakeUp = null
        done()
      }
    })
  }

  private setState(state: StreamState): void {
    this.currentState = state
    this.options.onState?.(state)
  }

  private log(line: string): void {
    this.options.log?.(line)
  }
}

async function readErrorMessage(response: Response): Promise<string> {
  try {
    const text = (await response.text()).slice(0, 2000)
    const parsed = JSON.parse(text) as { error?: unknown }
    if (typeof parsed.error === 'string') return parsed.error
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${response.status}`
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message
  }
  return String(error)
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
