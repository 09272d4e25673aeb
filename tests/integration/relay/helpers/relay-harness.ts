// Per-test wiring for the relay: a real relay on 127.0.0.1 (port 0) over a real SQLite file in a temp
// directory, an optional controllable clock, admin helpers that go through the HTTP API, and teardown.
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelay, type RelayHandle, type RelayOptions } from '../../../../relay/index.ts'
import { openSse, type OpenSseOptions, type SseConnection } from './sse-client.ts'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'

export interface ManualClock {
  now(): number
  advance(ms: number): void
}

export function manualClock(startIso = '2026-06-01T09:00:00.000Z'): ManualClock {
  let now = Date.parse(startIso)
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    }
  }
}

export interface Channel {
  channel_id: string
  ingest_url: string
  ingest_token: string
}

export interface Device {
  device_id: string
  token: string
}

export interface JsonAnswer {
  status: number
  headers: Headers
  body: any
}

export interface RelayHarness {
  relay: RelayHandle
  dataDir: string
  admin(method: string, path: string, body?: unknown, token?: string): Promise<JsonAnswer>
  createChannel(body?: Record<string, unknown>): Promise<Channel>
  createDevice(channelId: string): Promise<Device>
  channelInfo(channelId: string): Promise<any>
  /** POSTs raw bytes to an ingest URL. */
  post(ingestUrl: string, body: string | Uint8Array, headers?: Record<string, string>): Promise<JsonAnswer>
  ack(channelId: string, token: string, upTo: unknown): Promise<number>
  stream(channelId: string, token: string, options?: OpenSseOptions & { after?: number }): Promise<SseConnection>
  close(): Promise<void>
}

export async function startHarness(options: RelayOptions = {}): Promise<RelayHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dmdesk-relay-test-'))
  const relay = await startRelay({ adminToken: ADMIN_TOKEN, dataDir, ...options })
  const streams: SseConnection[] = []
  // Webhook POSTs go through node:http with kept-alive sockets: about twice as fast as fetch in-process,
  // which matters for the tests that send thousands.
  const ingestAgent = new Agent({ keepAlive: true, maxSockets: 64 })

  const json = async (response: Response): Promise<JsonAnswer> => {
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null }
  }
  const admin: RelayHarness['admin'] = async (method, path, body, token = ADMIN_TOKEN) =>
    json(
      await fetch(relay.url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
    )

  const harness: RelayHarness = {
    relay,
    dataDir,
    admin,
    async createChannel(body) {
      const answer = await admin('POST', '/v1/channels', body)
      if (answer.status !== 201) throw new Error(`creating a channel answered ${answer.status}: ${JSON.stringify(answer.body)}`)
      return answer.body as Channel
    },
    async createDevice(channelId) {
      const answer = await admin('POST', `/v1/channels/${channelId}/devices`)
      if (answer.status !== 201) throw new Error(`creating a device answered ${answer.status}: ${JSON.stringify(answer.body)}`)
      return answer.body as Device
    },
    async channelInfo(channelId) {
      const answer = await admin('GET', `/v1/channels/${channelId}`)
      if (answer.status !== 200) throw new Error(`reading a channel answered ${answer.status}`)
      return answer.body
    },
    post(ingestUrl, body, headers = {}) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          ingestUrl,
          {
            method: 'POST',
            agent: ingestAgent,
            headers: { 'content-type': 'application/json', ...headers, 'content-length': String(bytes.length) }
          },
          (response) => {
            const chunks: Buffer[] = []
            response.on('data', (chunk: Buffer) => chunks.push(chunk))
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8')
              const answerHeaders = new Headers()
              for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') answerHeaders.set(name, value)
              resolve({ status: response.statusCode ?? 0, headers: answerHeaders, body: text ? JSON.parse(text) : null })
            })
            response.on('error', reject)
          }
        )
        req.on('error', reject)
        req.end(bytes)
      })
    },
    async ack(channelId, token, upTo) {
      const response = await fetch(`${relay.url}/v1/channels/${channelId}/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ up_to: upTo })
      })
      await response.arrayBuffer()
      return response.status
    },
    async stream(channelId, token, options = {}) {
      const query = options.after === undefined ? '' : `?after=${options.after}`
      const connection = await openSse(`${relay.url}/v1/channels/${channelId}/events${query}`, { token, ...options })
      streams.push(connection)
      return connection
    },
    async close() {
      for (const stream of streams) stream.close()
      ingestAgent.destroy()
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  return harness
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
