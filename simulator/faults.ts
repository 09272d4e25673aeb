// Fault injection: the ways Postproxy (or the network) misbehaves, on demand, so the client's
// retries, idempotency and error handling can be exercised deliberately. Faults apply to the
// Postproxy API (`/api/…`), never to the control API that sets them.
import { unprocessable } from './http-errors.ts'

export type FaultSpec =
  /** The next `count` sends go `failed_waiting_for_retry`, then `published`. */
  | { kind: 'send_transient'; count: number }
  /** The next `count` sends go `failed` with `error_message`. */
  | { kind: 'send_permanent'; count: number; error_message: string }
  /** The next `count` API requests answer `status` (5xx) without being processed. */
  | { kind: 'server_error'; count: number; status: number }
  /** Adds `ms` of processing time to the next `count` API requests (every request when count is null). */
  | { kind: 'latency'; ms: number; count: number | null }
  /** The next `count` sends are processed and stored, then the connection is dropped without a response. */
  | { kind: 'drop_connection'; count: number }
  /** The next `count` API requests wait, mid-processing, until the control API releases them. */
  | { kind: 'stall'; count: number }

export type SendFailure = { kind: 'transient' } | { kind: 'permanent'; errorMessage: string }

/** Meta's wording for a recipient who cannot be messaged: a failure that no retry fixes. */
export const DEFAULT_PERMANENT_ERROR = "(#551) This person isn't available right now."

export interface FaultSnapshot {
  send_failures: { kind: 'transient' | 'permanent'; error_message: string | null }[]
  server_errors: { count: number; status: number }
  latency: { ms: number; count: number | null }
  drop_connections: number
  stalls_armed: number
  stalled_requests: number
}

export class Faults {
  #sendFailures: SendFailure[] = []
  #serverErrors = { count: 0, status: 503 }
  #latency: { ms: number; count: number | null } = { ms: 0, count: 0 }
  #dropConnections = 0
  #stallsArmed = 0
  #stalled: (() => void)[] = []
  #stallWatchers: (() => void)[] = []

  add(spec: FaultSpec): void {
    switch (spec.kind) {
      case 'send_transient':
        for (let i = 0; i < spec.count; i++) this.#sendFailures.push({ kind: 'transient' })
        break
      case 'send_permanent':
        for (let i = 0; i < spec.count; i++) this.#sendFailures.push({ kind: 'permanent', errorMessage: spec.error_message })
        break
      case 'server_error':
        this.#serverErrors = { count: spec.count, status: spec.status }
        break
      case 'latency':
        this.#latency = { ms: spec.ms, count: spec.count }
        break
      case 'drop_connection':
        this.#dropConnections += spec.count
        break
      case 'stall':
        this.#stallsArmed += spec.count
        break
    }
  }

  /** Clears every fault and lets any stalled request continue. */
  clear(): void {
    this.#sendFailures = []
    this.#serverErrors = { count: 0, status: 503 }
    this.#latency = { ms: 0, count: 0 }
    this.#dropConnections = 0
    this.#stallsArmed = 0
    this.release()
  }

  snapshot(): FaultSnapshot {
    return {
      send_failures: this.#sendFailures.map((failure) => ({
        kind: failure.kind,
        error_message: failure.kind === 'permanent' ? failure.errorMessage : null
      })),
      server_errors: { ...this.#serverErrors },
      latency: { ...this.#latency },
      drop_connections: this.#dropConnections,
      stalls_armed: this.#stallsArmed,
      stalled_requests: this.#stalled.length
    }
  }

  takeSendFailure(): SendFailure | null {
    return this.#sendFailures.shift() ?? null
  }

  /** The status to answer instead of processing the request, or null. */
  takeServerError(): number | null {
    if (this.#serverErrors.count <= 0) return null
    this.#serverErrors.count--
    return this.#serverErrors.status
  }

  takeLatencyMs(): number {
    const { ms, count } = this.#latency
    if (ms <= 0) return 0
    if (count === null) return ms
    if (count <= 0) return 0
    this.#latency.count = count - 1
    return ms
  }

  takeDropConnection(): boolean {
    if (this.#dropConnections <= 0) return false
    this.#dropConnections--
    return true
  }

  /** A promise the request must wait on when a stall is armed; null otherwise. */
  takeStall(): Promise<void> | null {
    if (this.#stallsArmed <= 0) return null
    this.#stallsArmed--
    const stalled = new Promise<void>((resolve) => this.#stalled.push(resolve))
    for (const notify of this.#stallWatchers.splice(0)) notify()
    return stalled
  }

  /** Resolves once at least one request is stalled (for tests that must act while a request is in flight). */
  whenStalled(): Promise<void> {
    if (this.#stalled.length > 0) return Promise.resolve()
    return new Promise((resolve) => this.#stallWatchers.push(resolve))
  }

  /** Lets every stalled request continue; returns how many there were. */
  release(): number {
    const waiting = this.#stalled.splice(0)
    for (const resume of waiting) resume()
    return waiting.length
  }
}

/** Validates a control-API fault body into a `FaultSpec` (422 with sentences naming the field otherwise). */
export function parseFaultSpec(input: Record<string, unknown>): FaultSpec {
  const kinds = ['send_transient', 'send_permanent', 'server_error', 'latency', 'drop_connection', 'stall']
  const kind = input.kind
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    throw unprocessable([`Kind must be one of ${kinds.join(', ')}.`])
  }
  const errors: string[] = []
  const count = optionalCount(input.count, errors)
  switch (kind) {
    case 'send_permanent': {
      const errorMessage = input.error_message ?? DEFAULT_PERMANENT_ERROR
      if (typeof errorMessage !== 'string' || errorMessage.trim() === '') errors.push('Error message must be text.')
      if (errors.length) throw unprocessable(errors)
      return { kind, count: count ?? 1, error_message: String(errorMessage) }
    }
    case 'server_error': {
      const status = input.status ?? 503
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 500 || status > 599) {
        errors.push('Status must be a 5xx status code, such as 500 or 503.')
      }
      if (errors.length) throw unprocessable(errors)
      return { kind, count: count ?? 1, status: status as number }
    }
    case 'latency': {
      const ms = input.ms
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 120_000) {
        errors.push('Ms must be a whole number of milliseconds between 0 and 120000.')
      }
      if (errors.length) throw unprocessable(errors)
      return { kind, ms: ms as number, count }
    }
    default:
      if (errors.length) throw unprocessable(errors)
      return { kind: kind as 'send_transient' | 'drop_connection' | 'stall', count: count ?? 1 }
  }
}

function optionalCount(value: unknown, errors: string[]): number | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10_000) {
    errors.push('Count must be a whole number between 1 and 10000.')
    return null
  }
  return value
}
