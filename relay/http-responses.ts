// How the relay answers: JSON bodies with one human sentence under `error`, thrown as RelayHttpError by
// handlers, and early answers that cut the connection instead of swallowing an unread request body.
import type { IncomingMessage, ServerResponse } from 'node:http'

export class RelayHttpError extends Error {
  readonly status: number
  readonly headers: Record<string, string>

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'RelayHttpError'
    this.status = status
    this.headers = headers
  }
}

export const httpError = {
  badRequest: (message: string) => new RelayHttpError(400, message),
  unauthorized: (message: string) => new RelayHttpError(401, message, { 'www-authenticate': 'Bearer' }),
  forbidden: (message: string) => new RelayHttpError(403, message),
  notFound: (message = 'Nothing is here.') => new RelayHttpError(404, message),
  methodNotAllowed: (allowed: string[]) =>
    new RelayHttpError(405, `This address accepts ${allowed.join(' and ')} only.`, { allow: allowed.join(', ') }),
  payloadTooLarge: (limitBytes: number) =>
    new RelayHttpError(413, `The webhook body is larger than the ${limitBytes} bytes this relay accepts.`),
  unsupportedMediaType: (message: string) => new RelayHttpError(415, message),
  tooManyRequests: (retryAfterSeconds: number, message = `Too many webhooks for this channel; retry in ${retryAfterSeconds} s.`) =>
    new RelayHttpError(429, message, { 'retry-after': String(retryAfterSeconds) }),
  unavailable: (message: string, retryAfterSeconds = 5) => new RelayHttpError(503, message, { 'retry-after': String(retryAfterSeconds) })
}

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers
  })
  response.end(text)
}

export function sendEmpty(response: ServerResponse, status: number): void {
  response.writeHead(status, COMMON_HEADERS)
  response.end()
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text))
  })
  response.end(text)
}

/**
 * Answers with the error. When the request body has not been fully received, the connection is closed
 * right after the answer is written: Node would otherwise read and discard the rest of an unwanted
 * upload (50 MB to an unknown token, say), which costs bandwidth and CPU for nothing.
 */
export function sendError(request: IncomingMessage, response: ServerResponse, error: RelayHttpError): void {
  if (response.headersSent) {
    response.destroy()
    return
  }
  const unreadBody = !request.complete
  if (unreadBody) {
    // Node's own finish handler runs first and would resume the request to drain it; we destroy the
    // socket in the same tick, so no further byte is read.
    response.once('finish', () => request.socket.destroy())
  }
  sendJson(response, error.status, { error: error.message }, unreadBody ? { ...error.headers, connection: 'close' } : error.headers)
}
