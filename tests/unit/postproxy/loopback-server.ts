// A real HTTP server on 127.0.0.1 for the client tests: records exactly what crossed the wire and lets
// each test script the answers (documented shapes and faults). Stand-in until the simulator exists.
import { EventEmitter, once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
}

export type Handler = (request: ReceivedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>

export class LoopbackServer {
  readonly requests: ReceivedRequest[] = []
  handler: Handler = (_request, res) => sendJson(res, 500, { error: 'no handler set' })
  inFlight = 0
  maxInFlight = 0
  readonly #events = new EventEmitter()
  readonly #server: Server
  baseUrl = ''

  constructor() {
    this.#server = createServer((raw, res) => void this.#handle(raw, res))
  }

  async start(): Promise<this> {
    this.#server.listen(0, '127.0.0.1')
    await once(this.#server, 'listening')
    const { port } = this.#server.address() as AddressInfo
    this.baseUrl = `http://127.0.0.1:${port}`
    return this
  }

  async #handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    res.on('close', () => {
      this.inFlight--
      this.#events.emit('change')
    })
    const chunks: Buffer[] = []
    for await (const chunk of raw) chunks.push(chunk as Buffer)
    const url = new URL(raw.url ?? '/', 'http://loopback')
    const request: ReceivedRequest = {
      method: raw.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body: Buffer.concat(chunks)
    }
    this.requests.push(request)
    this.#events.emit('change')
    try {
      await this.handler(request, res, raw)
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: `test handler threw: ${String(error)}` })
    }
  }

  /** Resolves once at least `count` requests have arrived; bounded so a broken test fails instead of hanging. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<void> {
    await this.#waitUntil(() => this.requests.length >= count, timeoutMs, `${count} requests`)
  }

  /** Resolves once exactly `count` requests have been received and not yet answered. */
  async waitForInFlight(count: number, timeoutMs = 5_000): Promise<void> {
    await this.#waitUntil(() => this.inFlight === count, timeoutMs, `${count} requests in flight`)
  }

  async #waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#events.off('change', check)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (have ${this.requests.length}, in flight ${this.inFlight})`))
      }, timeoutMs)
      const check = () => {
        if (!done()) return
        clearTimeout(timer)
        this.#events.off('change', check)
        resolve()
      }
      this.#events.on('change', check)
    })
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    this.#server.close()
    await once(this.#server, 'close').catch(() => undefined)
  }
}

export async function startLoopbackServer(handler?: Handler): Promise<LoopbackServer> {
  const server = await new LoopbackServer().start()
  if (handler) server.handler = handler
  return server
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** The body of a received request as JSON. */
export function jsonBody(request: ReceivedRequest): unknown {
  return JSON.parse(request.body.toString('utf8'))
}

/** Parses a received multipart body with undici's own form-data parser (independent of the client's encoder). */
export async function multipartBody(request: ReceivedRequest): Promise<FormData> {
  const contentType = String(request.headers['content-type'])
  return new Response(request.body, { headers: { 'content-type': contentType } }).formData()
}
