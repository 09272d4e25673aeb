// The error shapes of POSTPROXY.md §3. Handlers throw these; the server turns them into responses.
// Postproxy answers in several shapes (`errors[]`, `message`, `error`) and the client must cope with
// all of them, so the simulator reproduces each one where Postproxy uses it. Every 4xx body also
// carries a human `message` (§9: the SDKs build their error text from `message` first, then `error`).

export class HttpError extends Error {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    // Direct callers (personas, tests) read the same sentence an HTTP client would.
    const errors = Array.isArray(body.errors) ? (body.errors as string[]).join('; ') : null
    super(errors ?? (typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : `HTTP ${status}`))
    this.name = 'HttpError'
    this.status = status
    this.body = body
    this.headers = headers
  }
}

/** `{"status":400,"error":"Bad Request","message":…}`: missing or malformed parameters. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, { status: 400, error: 'Bad Request', message })
}

export function unauthorized(): HttpError {
  return new HttpError(401, {
    error: 'Unauthorized',
    message: 'The API key is missing or not valid: send it as "Authorization: Bearer <API key>".'
  })
}

/** Unknown ids and ids outside the key's scope look the same, so a key cannot probe other accounts. */
export function notFound(): HttpError {
  return new HttpError(404, {
    error: 'Not found',
    message: 'Nothing with this id exists for this API key (or in the profile group the request names).'
  })
}

export function conflict(error: string): HttpError {
  return new HttpError(409, { error, message: error })
}

/** The `errors` sentences as one text: each ends with a full stop, so they read as a paragraph. */
export function sentences(errors: readonly string[]): string {
  return errors.map((error) => (/[.!?]$/.test(error.trim()) ? error.trim() : `${error.trim()}.`)).join(' ')
}

/** `{"errors":[…], "message": …}`: validation, one human sentence per problem, each naming its field. */
export function unprocessable(errors: string[]): HttpError {
  return new HttpError(422, { errors, message: sentences(errors) })
}

export function rateLimited(retryAfterSeconds: number): HttpError {
  return new HttpError(
    429,
    {
      error: 'Rate limit exceeded',
      message: `Too many requests for this API key; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`
    },
    { 'retry-after': String(retryAfterSeconds) }
  )
}

export function payloadTooLarge(limitBytes: number): HttpError {
  const mb = Math.floor(limitBytes / (1024 * 1024))
  return new HttpError(
    413,
    { status: 413, error: 'Payload Too Large', message: `The request body is larger than the ${mb} MB this endpoint accepts.` }
  )
}

export function unsupportedMediaType(message: string): HttpError {
  return new HttpError(415, { status: 415, error: 'Unsupported Media Type', message })
}

export function serverError(status: number, message: string): HttpError {
  const reasons: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout'
  }
  return new HttpError(status, { status, error: reasons[status] ?? 'Server Error', message })
}
