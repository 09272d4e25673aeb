// The request pipeline: network latency, request id, hosted media, routing, bearer auth, rate limit,
// injected faults, body decoding, idempotency, then the endpoint. Whatever a handler throws becomes a JSON error
// response; nothing a client sends can take the process down.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { decodeBody, readBody, type RequestBody } from './body.ts'
import type { AccountId } from './contracts.ts'
import type { Faults } from './faults.ts'
import { HttpError, notFound, rateLimited, serverError, unauthorized } from './http-errors.ts'
import { idempotencyKeyFrom, requestFingerprint, type IdempotencyClaim, type IdempotencyStore } from './idempotency.ts'
import { newId } from './ids.ts'
import { mediaResponse } from './api/media.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { RequestTally } from './request-tally.ts'
import type { Router } from './router.ts'
import type { SimState } from './state.ts'

export interface PipelineDeps {
  state: SimState
  router: Router
  faults: Faults
  rateLimiter: RateLimiter
  idempotency: IdempotencyStore
  /** Counts every answered Postproxy request of a known key, by status. */
  tally: RequestTally
  /**
   * A round trip's worth of network delay on every Postproxy request (`/api/…` and hosted media), split
   * in two: half before the request is seen (so the rate limit counts it when it would arrive), half
   * before the answer leaves. The control API (`/_sim/…`) is the test's own line and has none. 0: off.
   */
  latencyMs: number
}

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
/** After a 413, how much more of the upload is read (and discarded) so the client sees the answer. */
const DISCARD_AFTER_REJECT_BYTES = 64 * 1024 * 1024

export function createRequestHandler(deps: PipelineDeps): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(deps, request, response).catch((error) => {
      // Only reachable if writing the response itself failed (the client went away).
      console.error('[simulator] could not answer a request:', error)
      request.socket.destroy()
    })
  }
}

async function handle(deps: PipelineDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const rawUrl = request.url ?? '/'
  const queryStart = rawUrl.indexOf('?')
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart)
  const oneWayMs = deps.latencyMs > 0 && (path.startsWith('/api/') || path.startsWith('/media/')) ? deps.latencyMs / 2 : 0
  if (oneWayMs > 0) {
    // Unref'd: a request in flight must not keep a closing simulator's process alive.
    await sleep(oneWayMs, undefined, { ref: false })
    // The way back: every answer below (errors included) goes out through writeHead.
    delayAnswer(response, oneWayMs)
  }
  response.setHeader('x-request-id', newId('req'))
  const method = request.method ?? 'GET'
  const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1))
  let claim: IdempotencyClaim | null = null

  try {
    if ((method === 'GET' || method === 'HEAD') && path.startsWith('/media/')) {
      return serveMedia(deps.state, path.slice('/media/'.length), method, response)
    }
    const account = authenticate(deps.state, request)
    const match = deps.router.match(method, path)
    if (!match) throw notFound()
    const isApi = path.startsWith('/api/')

    if (isApi) {
      response.once('finish', () => deps.tally.record(account, response.statusCode))
      const retryAfter = deps.rateLimiter.take(account)
      if (retryAfter !== null) throw rateLimited(retryAfter)
      const injectedStatus = deps.faults.takeServerError()
      if (injectedStatus !== null) {
        throw serverError(injectedStatus, 'Postproxy is temporarily unavailable (a fault injected in the simulator). Try again in a moment.')
      }
    }

    const body: RequestBody = BODY_METHODS.has(method) ? decodeBody(request.headers['content-type'], await readBody(request)) : { kind: 'none' }

    if (isApi && method !== 'GET') {
      const key = idempotencyKeyFrom(request.headers['idempotency-key'])
      if (key !== null) {
        claim = deps.idempotency.claim(account, key, requestFingerprint(method, path, body))
        if (claim.kind === 'replay') {
          response.setHeader('idempotent-replayed', 'true')
          return sendJson(response, claim.response.status, claim.response.body)
        }
      }
    }

    if (isApi) await simulateProcessingTime(deps.faults)

    const result = await match.route.handle({ account, params: match.params, query, body, request })
    const succeeded = result.status >= 200 && result.status < 300
    if (claim?.kind === 'claimed') {
      if (succeeded) claim.complete(result)
      else claim.abandon()
    }
    if (match.route.isSend && succeeded && deps.faults.takeDropConnection()) {
      // The send is stored (and its answer kept for an idempotent retry); the client never hears back.
      request.socket.destroy()
      return
    }
    sendJson(response, result.status, result.body)
  } catch (error) {
    if (claim?.kind === 'claimed') claim.abandon()
    sendError(request, response, error)
  }
}

/** Holds the response's end (headers and body leave with it) for the way back of the round trip. */
function delayAnswer(response: ServerResponse, ms: number): void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse
  response.end = ((...args: unknown[]) => {
    setTimeout(() => end(...args), ms).unref()
    return response
  }) as ServerResponse['end']
}

function authenticate(state: SimState, request: IncomingMessage): AccountId {
  const header = request.headers.authorization ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  const account = match ? state.accountForKey(match[1]) : null
  if (!account) throw unauthorized()
  return account
}

/** Injected latency, then an injected stall (held until the control API releases it). */
async function simulateProcessingTime(faults: Faults): Promise<void> {
  const latencyMs = faults.takeLatencyMs()
  if (latencyMs > 0) await sleep(latencyMs)
  const stall = faults.takeStall()
  if (stall) await stall
}

function serveMedia(state: SimState, mediaId: string, method: string, response: ServerResponse): void {
  let found = null
  try {
    found = mediaResponse(state, decodeURIComponent(mediaId))
  } catch {
    found = null // an undecodable id names nothing
  }
  if (!found) return sendJson(response, 404, notFound().body)
  response.writeHead(200, found.headers)
  response.end(method === 'HEAD' ? undefined : found.bytes)
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body)
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload))
  })
  response.end(payload)
}

function sendError(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (response.headersSent || response.destroyed) {
    request.socket.destroy()
    return
  }
  if (error instanceof HttpError) {
    sendJson(response, error.status, error.body, error.headers)
    if (error.status === 413) stopReading(request)
    return
  }
  console.error('[simulator] a request failed:', error)
  sendJson(response, 500, serverError(500, 'The simulator hit an unexpected error; its log has the details.').body)
}

/**
 * After refusing an oversized body: discard (never buffer) what the client is still sending so it
 * can read the 413, up to a bound; past it, or once answered, the connection closes.
 */
function stopReading(request: IncomingMessage): void {
  let discarded = 0
  request.removeAllListeners('data')
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > DISCARD_AFTER_REJECT_BYTES) request.socket.destroy()
  })
  request.resume()
}
