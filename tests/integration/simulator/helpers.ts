// Shared by the simulator conformance suite: a simulator per test over real HTTP on 127.0.0.1,
// a small client that keeps status, headers and the parsed body, media fixtures with real magic
// bytes, and a loopback webhook receiver.
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'
import type { z } from 'zod'
import { ErrorBodySchema } from '../../../shared/postproxy.ts'
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator/index.ts'

export interface ApiResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

export class SimClient {
  readonly url: string
  readonly apiKey: string

  constructor(url: string, apiKey: string) {
    this.url = url
    this.apiKey = apiKey
  }

  async request(method: string, path: string, init: { json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, ...init.headers }
    let body = init.body
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.json)
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(20_000) })
    const text = await response.text()
    let parsed: unknown = text
    if ((response.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text)
    return { status: response.status, headers: response.headers, body: parsed }
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers })
  }

  post(path: string, json?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, { json, headers })
  }

  patch(path: string, json?: unknown) {
    return this.request('PATCH', path, { json })
  }

  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, { headers })
  }
}

/** A request sent exactly as given (no URL normalisation, any body bytes), for malformed-input tests. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: Buffer | string
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const { hostname, port } = new URL(baseUrl)
  // Framed explicitly: Node sends a DELETE's body unframed otherwise.
  if (body !== undefined && headers['content-length'] === undefined) headers = { ...headers, 'content-length': Buffer.byteLength(body) }
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, method, path, headers, timeout: 20_000 }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(new Error('raw request timed out')))
    request.on('error', reject)
    request.end(body)
  })
}

export interface TestSimulator {
  sim: RunningSimulator
  api: SimClient
}

/** Publishing takes a simulated minute unless a test advances the clock, so nothing settles by accident. */
export const TEST_PUBLISH_DELAY_MS = 60_000

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<TestSimulator> {
  const sim = await startSimulator({ scenario: 'empty', publishDelayMs: TEST_PUBLISH_DELAY_MS, alive: false, retryDelayScale: 0.0001, ...options })
  return { sim, api: new SimClient(sim.url, sim.apiKey) }
}

/** Parses with a shared schema and fails the test with zod's explanation when it does not fit. */
export function parses<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw new Error(`response does not match the shared schema: ${result.error.message}\n${JSON.stringify(value)}`)
  return result.data
}

export function expectValidationError(response: ApiResponse, fragment: string | RegExp): void {
  expect(response.status).toBe(422)
  parses(ErrorBodySchema, response.body)
  expect(Array.isArray(response.body.errors)).toBe(true)
  // Every 4xx carries a human `message` beside `errors` (clients read `message` first).
  expect(typeof response.body.message).toBe('string')
  expect(response.body.message.length).toBeGreaterThan(0)
  const joined = (response.body.errors as string[]).join(' | ')
  if (typeof fragment === 'string') expect(joined).toContain(fragment)
  else expect(joined).toMatch(fragment)
}

export function expectNotFound(response: ApiResponse): void {
  expect(response.status).toBe(404)
  expect(response.body).toEqual({ error: 'Not found', message: expect.stringMatching(/^Nothing with this id exists/) })
}

/** Every event the simulator emits from now on (type and data, as given to the dispatcher), in order. */
export function recordEmitted(sim: RunningSimulator): { type: string; data: Record<string, unknown> }[] {
  const emitted: { type: string; data: Record<string, unknown> }[] = []
  const emit = sim.webhooks.emit.bind(sim.webhooks)
  sim.webhooks.emit = (account, type, data) => {
    emitted.push({ type, data })
    emit(account, type, data)
  }
  return emitted
}

/** A chat with a participant who wrote `ageMs` ago (simulated), via the control API. */
export async function chatWithInbound(api: SimClient, participant = 'igsid_1', body = 'Hi there!') {
  const injected = await api.post('/_sim/inbound', { participant_external_id: participant, participant_username: `${participant}_name`, body })
  expect(injected.status).toBe(201)
  return injected.body as { chat: { id: string; external_conversation_id: string }; message: { id: string; external_id: string } }
}

/** Another account whose profile is on `platform`, its client, and a chat in which the participant wrote. */
export async function chatOnPlatform(sim: RunningSimulator, platform: string) {
  const account = sim.createAccount({ platform })
  const api = new SimClient(sim.url, account.apiKey)
  return { api, ...(await chatWithInbound(api, `${platform}_user`)) }
}

// --- media fixtures: real magic bytes, padded to a size -----------------------------------------

function padded(head: number[] | string, size: number): Buffer {
  const start = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head)
  const out = Buffer.alloc(Math.max(size, start.length), 0x20)
  start.copy(out)
  return out
}

export const fixtures = {
  png: (size = 200) => padded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52], size),
  jpeg: (size = 200) => padded([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0], size),
  pdf: (size = 200) => padded('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', size),
  mp4: (size = 200) => padded([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0], size),
  text: (size = 200) => padded('just some text, not media at all', size)
}

export function dataUri(mime: string, bytes: Buffer): string {
  return `data:${mime};base64,${bytes.toString('base64')}`
}

// --- a loopback webhook receiver ----------------------------------------------------------------

export interface ReceivedWebhook {
  headers: IncomingMessage['headers']
  rawBody: string
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = []
  #server: Server
  #waiters: { count: number; resolve: () => void }[] = []
  url = ''

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        this.received.push({ headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') })
        response.writeHead(200).end('ok')
        this.#waiters = this.#waiters.filter((waiter) => {
          if (this.received.length < waiter.count) return true
          waiter.resolve()
          return false
        })
      })
    })
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks`
    return this.url
  }

  /** Resolves once `count` deliveries have arrived; fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} webhooks arrived`)), timeoutMs)
      this.#waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  }

  close(): Promise<void> {
    this.#server.closeAllConnections()
    return new Promise((resolve) => this.#server.close(() => resolve()))
  }
}
