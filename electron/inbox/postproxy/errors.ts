// One error type for everything that can go wrong talking to Postproxy (POSTPROXY.md §3), so callers
// branch on `kind` and show `userMessage`, whatever the wire said. The API key must never leak into an
// error: every text that could echo it (server bodies, fetch failures) passes through `redact` first.
import { STATUS_CODES } from 'node:http'
import { errorBodyMessage } from '../../../shared/postproxy.ts'

export const POSTPROXY_ERROR_KINDS = [
  'unauthorized',
  'not_found',
  'validation',
  'conflict',
  'rate_limited',
  'server',
  'network',
  'timeout',
  'aborted',
  'malformed_response',
  'bad_request'
] as const
export type PostproxyErrorKind = (typeof POSTPROXY_ERROR_KINDS)[number]

export interface PostproxyErrorInit {
  kind: PostproxyErrorKind
  /** HTTP status, or null when no usable response arrived (network, timeout, abort, unreadable 2xx). */
  status: number | null
  /** Technical, for logs: method, path, status and the server's own words. */
  message: string
  /** Words a creator understands. */
  userMessage: string
  /** Whether trying the same call again later can succeed. */
  retryable: boolean
  retryAfterMs?: number
  requestId?: string
  cause?: unknown
}

export class PostproxyError extends Error {
  readonly kind: PostproxyErrorKind
  readonly status: number | null
  readonly userMessage: string
  readonly retryable: boolean
  readonly retryAfterMs?: number
  readonly requestId?: string

  constructor(init: PostproxyErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'PostproxyError'
    this.kind = init.kind
    this.status = init.status
    this.userMessage = init.userMessage
    this.retryable = init.retryable
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs
    if (init.requestId !== undefined) this.requestId = init.requestId
  }
}

export function isPostproxyError(value: unknown): value is PostproxyError {
  return value instanceof PostproxyError
}

/** What a request was about, so messages can name it ("this chat") and the party that refused it. */
export interface RequestSubject {
  method: string
  /** The path without the query string; ids are fine to log, the key never is. */
  path: string
  /** A noun for 404 messages: "chat", "message", "profile", "webhook", "comment". */
  resource: string
  /** Who a 422 speaks for: "Instagram" for DM calls, "Postproxy" for account calls. */
  rejectedBy: string
  /** Secrets to scrub from anything the error carries. */
  secrets: readonly string[]
}

const REDACTED = '[redacted]'

export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED)
  }
  return out
}

/**
 * A copy of an underlying failure that keeps what helps debugging (name, message, code, nested cause)
 * but not objects that might hold request headers, with every secret scrubbed.
 */
export function sanitizedCause(cause: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(cause instanceof Error)) return new Error(redact(String(cause), secrets))
  const copy = new Error(
    redact(cause.message, secrets),
    depth < 3 && cause.cause !== undefined ? { cause: sanitizedCause(cause.cause, secrets, depth + 1) } : undefined
  )
  copy.name = cause.name
  copy.stack = redact(cause.stack ?? '', secrets)
  const code = (cause as { code?: unknown }).code
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code })
  return copy
}

function describe(subject: RequestSubject): string {
  return `${subject.method} ${subject.path}`
}

export function statusText(status: number, fromResponse: string): string {
  return fromResponse || STATUS_CODES[status] || `HTTP ${status}`
}

export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 120) return `${seconds} s`
  return `${Math.ceil(seconds / 60)} min`
}

export interface HttpFailure {
  status: number
  statusText: string
  /** The parsed JSON body, or the raw text when it was not JSON (an HTML error page, an empty body). */
  body: unknown
  requestId?: string
  retryAfterMs?: number
}

/** Maps a non-2xx response to the error a caller sees. */
export function errorFromHttpFailure(failure: HttpFailure, subject: RequestSubject): PostproxyError {
  const { status, requestId, retryAfterMs } = failure
  const text = statusText(status, failure.statusText)
  const serverWords = redact(errorBodyMessage(failure.body, text), subject.secrets)
  const kind = kindForStatus(status)
  const bodyExcerpt = typeof failure.body === 'string' ? failure.body.slice(0, 300) : JSON.stringify(failure.body)
  return new PostproxyError({
    kind,
    status,
    message: `${describe(subject)} failed with ${status} ${text}: ${serverWords}`,
    userMessage: userMessageForStatus(kind, status, serverWords, subject, retryAfterMs),
    retryable: kind === 'rate_limited' || kind === 'server' || kind === 'conflict',
    retryAfterMs,
    requestId,
    cause: new Error(redact(`HTTP ${status} ${text}; body: ${bodyExcerpt ?? ''}`, subject.secrets))
  })
}

function kindForStatus(status: number): PostproxyErrorKind {
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 422) return 'validation'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server'
  return 'bad_request'
}

function userMessageForStatus(
  kind: PostproxyErrorKind,
  status: number,
  serverWords: string,
  subject: RequestSubject,
  retryAfterMs: number | undefined
): string {
  switch (kind) {
    case 'unauthorized':
      return "Postproxy didn't accept your API key. Check it in Settings."
    case 'not_found':
      return `Postproxy couldn't find this ${subject.resource}. It may have been deleted, or it belongs to another profile group.`
    case 'validation':
      return `${subject.rejectedBy} says: ${serverWords}`
    case 'conflict':
      return 'Postproxy is still working on this request; it will be checked again shortly.'
    case 'rate_limited':
      return retryAfterMs === undefined
        ? 'Postproxy is busy right now; retrying shortly.'
        : `Postproxy is busy right now; retrying in ${formatWait(retryAfterMs)}.`
    case 'server':
      return `Postproxy is having trouble right now (error ${status}). Try again in a moment.`
    default:
      return `Postproxy couldn't handle this request: ${serverWords}`
  }
}

export function networkError(subject: RequestSubject, cause: unknown): PostproxyError {
  const safeCause = sanitizedCause(cause, subject.secrets)
  return new PostproxyError({
    kind: 'network',
    status: null,
    message: `${describe(subject)} could not reach Postproxy: ${safeCause.message}`,
    userMessage: "Can't reach Postproxy — you're offline or it is down.",
    retryable: true,
    cause: safeCause
  })
}

export function timeoutError(subject: RequestSubject, timeoutMs: number): PostproxyError {
  return new PostproxyError({
    kind: 'timeout',
    status: null,
    message: `${describe(subject)} got no complete answer within ${timeoutMs} ms`,
    userMessage: 'Postproxy took too long to answer. Try again in a moment.',
    retryable: true
  })
}

export function abortedError(subject: RequestSubject, reason: unknown): PostproxyError {
  return new PostproxyError({
    kind: 'aborted',
    status: null,
    message: `${describe(subject)} was cancelled`,
    userMessage: 'Cancelled.',
    retryable: false,
    cause: sanitizedCause(reason ?? new Error('aborted'), subject.secrets)
  })
}

/** A 2xx whose body is not what the contract promises: callers must write nothing. */
export function malformedResponseError(
  subject: RequestSubject,
  status: number,
  problem: string,
  requestId: string | undefined
): PostproxyError {
  const safeProblem = redact(problem, subject.secrets)
  return new PostproxyError({
    kind: 'malformed_response',
    status,
    message: `${describe(subject)} returned ${status} with an unexpected body: ${safeProblem}`,
    userMessage: "Postproxy sent an answer dmdesk couldn't understand, so nothing was changed. Try again later.",
    retryable: false,
    requestId,
    cause: new Error(safeProblem)
  })
}

/** No usable key: refused before anything goes on the wire. */
export function missingApiKeyError(subject: RequestSubject, problem: string, cause?: unknown): PostproxyError {
  return new PostproxyError({
    kind: 'unauthorized',
    status: null,
    message: `${describe(subject)} not sent: ${problem}`,
    userMessage: 'Add a valid Postproxy API key in Settings.',
    retryable: false,
    cause: cause === undefined ? undefined : sanitizedCause(cause, subject.secrets)
  })
}
