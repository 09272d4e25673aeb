// How one Postproxy call goes over the wire: auth, Idempotency-Key, per-attempt timeout, cancellation,
// the key's request budget (concurrency, pacing, priority: request-budget.ts), retries with backoff, and
// turning whatever comes back into either data that passed its schema or a PostproxyError. The typed
// endpoints (client.ts) only describe requests.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleepFor } from 'node:timers/promises'
import type { z } from 'zod'
import { readRateLimitHeaders } from './rate-limit-headers.ts'
import { RequestBudget, type RequestBudgetLoad, type RequestPriority } from './request-budget.ts'
import type { RequestRate } from './request-rate.ts'
import {
  PostproxyError,
  abortedError,
  errorFromHttpFailure,
  malformedResponseError,
  missingApiKeyError,
  networkError,
  timeoutError,
  type PostproxyErrorKind,
  type RequestSubject
} from './errors.ts'
import type { EncodedMultipart } from './multipart.ts'
import {
  DEFAULT_BACKOFF,
  fullJitterDelayMs,
  honoursRetryAfter,
  isRetryableFailure,
  parseRetryAfterMs,
  type BackoffOptions
} from './retry-policy.ts'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One finished attempt, for counting requests in tests and benchmarks. Never carries headers or bodies. */
export interface RequestRecord {
  method: HttpMethod
  path: string
  /** HTTP status, or null when no response arrived. */
  status: number | null
  /** 1 for the first try of a call, 2 for its first retry, … */
  attempt: number
  priority: RequestPriority
  durationMs: number
  /** Set when the attempt failed. */
  errorKind?: PostproxyErrorKind
}

/** A retry about to happen, e.g. to show "retrying in 12 s". */
export interface RetryNotice {
  method: HttpMethod
  path: string
  /** The attempt that will follow the wait. */
  nextAttempt: number
  delayMs: number
  error: PostproxyError
}

export interface PostproxyTransportOptions {
  /** e.g. `https://api.postproxy.dev` or a simulator's `http://127.0.0.1:port`; paths start with `/api`. */
  baseUrl: string
  apiKey?: string
  /** Read the key when needed (e.g. from the keychain) instead of holding it. */
  getApiKey?: () => string | Promise<string>
  fetch?: typeof globalThis.fetch
  /** Per attempt, covering the response body too. Default 15 s. */
  timeoutMs?: number
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number
  backoff?: Partial<BackoffOptions>
  /** Requests in flight at once for this client (it talks to one host). Default 4. Ignored with `budget`. */
  maxConcurrent?: number
  /**
   * The rate limit to pace below and learn from (request-rate.ts); null for a backend known to have none
   * (the demo's embedded simulator). Default POSTPROXY_ASSUMED_RATE. Ignored with `budget`.
   */
  requestRate?: RequestRate | null
  /** A budget shared with other clients of the same API key (e.g. one per profile); default: its own. */
  budget?: RequestBudget
  /** A Retry-After longer than this is not waited out: the call fails with `retryAfterMs` for the caller to schedule. Default 60 s. */
  maxRetryAfterMs?: number
  /** For jitter; returns [0, 1). Default Math.random. */
  random?: () => number
  /** Waits between attempts; must reject (or resolve early) when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>
  /** Wall clock in ms, for Retry-After dates. Default Date.now. */
  now?: () => number
  /** Added as `?profile_group_id=` to every request. */
  profileGroupId?: string
  onRequest?: (record: RequestRecord) => void
  onRetry?: (notice: RetryNotice) => void
}

export interface RequestSpec<T> {
  method: HttpMethod
  /** Path with ids already percent-encoded, e.g. `/api/chats/chat_1/messages`. */
  path: string
  query?: Record<string, string | number | undefined>
  json?: unknown
  multipart?: EncodedMultipart
  schema: z.ZodType<T>
  /** When the server may answer with an empty body (204), the value that stands for it. */
  emptyBodyValue?: T
  resource: string
  rejectedBy: string
  idempotencyKey?: string
  signal?: AbortSignal
  /** Default `interactive`: ahead of background work in the budget's queue. */
  priority?: RequestPriority
}

export interface TransportResponse<T> {
  status: number
  data: T
  requestId?: string
}

// ≤ 255 chars (POSTPROXY.md §1), header-safe.
const VALID_IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/
// Visible ASCII only: anything else cannot be a Postproxy key and would make fetch echo it in an error.
const PLAUSIBLE_API_KEY = /^[\x21-\x7e]+$/

function defaultSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return sleepFor(ms, undefined, { signal })
}

function summarizeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
  const more = error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : ''
  return shown.join('; ') + more
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export class PostproxyTransport {
  readonly #baseUrl: URL
  readonly #staticApiKey?: string
  readonly #getApiKey?: () => string | Promise<string>
  readonly #fetch: typeof globalThis.fetch
  readonly #timeoutMs: number
  readonly #maxRetries: number
  readonly #backoff: BackoffOptions
  readonly #maxRetryAfterMs: number
  readonly #random: () => number
  readonly #sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>
  readonly #now: () => number
  readonly #profileGroupId?: string
  readonly #budget: RequestBudget
  readonly #onRequest?: (record: RequestRecord) => void
  readonly #onRetry?: (notice: RetryNotice) => void

  constructor(options: PostproxyTransportOptions) {
    const baseUrl = new URL(options.baseUrl)
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      throw new TypeError(`Postproxy base URL must be http(s), got ${baseUrl.protocol}`)
    }
    if (options.apiKey === undefined && options.getApiKey === undefined) {
      throw new TypeError('Postproxy client needs apiKey or getApiKey')
    }
    this.#baseUrl = baseUrl
    this.#staticApiKey = options.apiKey
    this.#getApiKey = options.getApiKey
    this.#fetch = options.fetch ?? globalThis.fetch
    this.#timeoutMs = options.timeoutMs ?? 15_000
    this.#maxRetries = options.maxRetries ?? 4
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
    this.#random = options.random ?? Math.random
    this.#sleep = options.sleep ?? defaultSleep
    this.#now = options.now ?? Date.now
    this.#profileGroupId = options.profileGroupId
    this.#budget = options.budget ?? new RequestBudget({ maxConcurrent: options.maxConcurrent, rate: options.requestRate })
    this.#onRequest = options.onRequest
    this.#onRetry = options.onRetry
  }

  /** Requests currently on the wire and calls waiting for their turn. */
  get load(): RequestBudgetLoad {
    return this.#budget.load
  }

  get budget(): RequestBudget {
    return this.#budget
  }

  async request<T>(spec: RequestSpec<T>): Promise<TransportResponse<T>> {
    const isWrite = spec.method !== 'GET'
    const subject: RequestSubject = {
      method: spec.method,
      path: spec.path,
      resource: spec.resource,
      rejectedBy: spec.rejectedBy,
      secrets: this.#staticApiKey ? [this.#staticApiKey] : []
    }
    const { signal } = spec
    if (signal?.aborted) throw abortedError(subject, signal.reason)

    // One key per call, reused by every retry: a connection lost after the request left can then be
    // retried without the server acting twice.
    const idempotencyKey = isWrite ? (spec.idempotencyKey ?? randomUUID()) : undefined
    if (idempotencyKey !== undefined && !VALID_IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new RangeError('Idempotency-Key must be 1–255 visible ASCII characters')
    }

    const apiKey = await this.#resolveApiKey(subject)
    const attemptSubject: RequestSubject = { ...subject, secrets: [apiKey] }
    const url = this.#url(spec)
    const headers: Record<string, string> = {
      Authorization: `Bearer ${apiKey}`,
      Accept: 'application/json'
    }
    let body: string | Uint8Array | undefined
    if (spec.multipart) {
      headers['Content-Type'] = spec.multipart.contentType
      body = spec.multipart.body
    } else if (spec.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(spec.json)
    }
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey

    for (let attempt = 1; ; attempt++) {
      let failure: PostproxyError
      try {
        return await this.#budget.run(() => this.#attempt(spec, url, headers, body, attemptSubject, attempt), {
          priority: spec.priority,
          signal
        })
      } catch (error) {
        if (!(error instanceof PostproxyError)) {
          // Only the budget rejects with something else: the caller aborted while queued.
          if (signal?.aborted) throw abortedError(attemptSubject, signal.reason)
          throw error
        }
        failure = error
      }

      if (attempt > this.#maxRetries || !isRetryableFailure(failure, isWrite)) throw failure
      let delayMs: number
      if (honoursRetryAfter(failure.status) && failure.retryAfterMs !== undefined) {
        if (failure.retryAfterMs > this.#maxRetryAfterMs) throw failure
        delayMs = failure.retryAfterMs
      } else {
        delayMs = fullJitterDelayMs(attempt, this.#backoff, this.#random)
      }
      this.#notify(this.#onRetry, { method: spec.method, path: spec.path, nextAttempt: attempt + 1, delayMs, error: failure })
      try {
        await this.#sleep(delayMs, signal)
      } catch (error) {
        if (signal?.aborted) throw abortedError(attemptSubject, signal.reason)
        throw error
      }
      if (signal?.aborted) throw abortedError(attemptSubject, signal.reason)
    }
  }

  async #attempt<T>(
    spec: RequestSpec<T>,
    url: URL,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    subject: RequestSubject,
    attempt: number
  ): Promise<TransportResponse<T>> {
    const callerSignal = spec.signal
    if (callerSignal?.aborted) throw abortedError(subject, callerSignal.reason)
    const timeoutSignal = AbortSignal.timeout(this.#timeoutMs)
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal
    const started = performance.now()
    const record = (status: number | null, errorKind?: PostproxyErrorKind) =>
      this.#notify(this.#onRequest, {
        method: spec.method,
        path: spec.path,
        status,
        attempt,
        priority: spec.priority ?? 'interactive',
        durationMs: performance.now() - started,
        ...(errorKind ? { errorKind } : {})
      })

    let response: Response
    let text: string
    try {
      response = await this.#fetch(url, { method: spec.method, headers, body, signal })
      // Read inside the same signal: a server that stalls mid-body times out like one that never answers.
      text = await response.text()
    } catch (cause) {
      const error = callerSignal?.aborted
        ? abortedError(subject, callerSignal.reason)
        : timeoutSignal.aborted
          ? timeoutError(subject, this.#timeoutMs)
          : networkError(subject, cause)
      record(null, error.kind)
      throw error
    }

    const requestId = response.headers.get('x-request-id') ?? undefined
    const retryAfterMs = honoursRetryAfter(response.status) ? parseRetryAfterMs(response.headers.get('retry-after'), this.#now()) : undefined
    // Every answer teaches the key's budget: a 429 slows it and pauses it, rate headers pause it early.
    this.#budget.observe({ status: response.status, retryAfterMs, ...readRateLimitHeaders(response.headers, this.#now()) })
    if (!response.ok) {
      const error = errorFromHttpFailure(
        {
          status: response.status,
          statusText: response.statusText,
          body: parseMaybeJson(text),
          requestId,
          retryAfterMs
        },
        subject
      )
      record(response.status, error.kind)
      throw error
    }

    let data: T
    if (text.trim() === '' && spec.emptyBodyValue !== undefined) {
      data = spec.emptyBodyValue
    } else {
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        const type = response.headers.get('content-type') ?? 'no content type'
        const error = malformedResponseError(subject, response.status, `body is not JSON (${type}, ${text.length} chars)`, requestId)
        record(response.status, error.kind)
        throw error
      }
      const parsed = spec.schema.safeParse(json)
      if (!parsed.success) {
        const error = malformedResponseError(subject, response.status, summarizeIssues(parsed.error), requestId)
        record(response.status, error.kind)
        throw error
      }
      data = parsed.data
    }
    record(response.status)
    return { status: response.status, data, ...(requestId !== undefined ? { requestId } : {}) }
  }

  async #resolveApiKey(subject: RequestSubject): Promise<string> {
    let key: string | undefined
    if (this.#staticApiKey !== undefined) {
      key = this.#staticApiKey
    } else {
      try {
        key = await this.#getApiKey?.()
      } catch (cause) {
        throw missingApiKeyError(subject, 'the API key could not be read', cause)
      }
    }
    if (typeof key !== 'string' || key.trim() === '') throw missingApiKeyError(subject, 'no API key is set')
    if (!PLAUSIBLE_API_KEY.test(key)) throw missingApiKeyError(subject, 'the API key contains spaces or invisible characters')
    return key
  }

  #url(spec: RequestSpec<unknown>): URL {
    const url = new URL(this.#baseUrl)
    url.pathname = url.pathname.replace(/\/+$/, '') + spec.path
    url.search = ''
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value))
    }
    if (this.#profileGroupId !== undefined) url.searchParams.set('profile_group_id', this.#profileGroupId)
    return url
  }

  /** Observers must not change a request's outcome, so their exceptions are dropped. */
  #notify<E>(observer: ((event: E) => void) | undefined, event: E): void {
    if (!observer) return
    try {
      observer(event)
    } catch {
      // deliberately ignored
    }
  }
}
