// Slow and idle connections (#12.11): a socket that never finishes its headers is dropped after the headers
// timeout, and at the connection cap half-open sockets make room for real clients instead of locking them
// out; only when every connection is busy is a newcomer refused.
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveRelayConfig } from '../../../relay/options.ts'
import { openHalfOpenRequest, type HalfOpenSocket } from './helpers/raw-http.ts'
import { startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { isWebhook, webhookData } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined
const sockets: HalfOpenSocket[] = []

afterEach(async () => {
  for (const { socket } of sockets.splice(0)) socket.destroy()
  await harness?.close()
  harness = undefined
})

async function halfOpen(url: string, count: number): Promise<HalfOpenSocket[]> {
  const opened: HalfOpenSocket[] = []
  for (let i = 0; i < count; i++) opened.push(await openHalfOpenRequest(url))
  sockets.push(...opened)
  return opened
}

/** Resolves once `count` of the sockets were closed by the server; rejects after `timeoutMs`. */
function closedCount(opened: HalfOpenSocket[], count: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let closed = opened.filter((s) => s.isClosed()).length
    if (closed >= count) return resolve()
    const timer = setTimeout(() => reject(new Error(`only ${closed} of ${opened.length} sockets were closed within ${timeoutMs} ms (expected ${count})`)), timeoutMs)
    for (const s of opened) {
      if (s.isClosed()) continue
      void s.closed.then(() => {
        closed += 1
        if (closed === count) {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  })
}

/** A new TCP connection that sends a complete GET /healthz: resolves with the status line, or 'closed'. */
function healthCheckOnNewConnection(url: string): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    let received = ''
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n')) {
        socket.destroy()
        resolve(received.split('\r\n')[0])
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(received ? received.split('\r\n')[0] : 'closed'))
    socket.write(`GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n`)
  })
}

describe('relay connections', () => {
  it('has a 10 s headers timeout, a 30 s request timeout and a connection cap by default', () => {
    const config = resolveRelayConfig()
    expect(config.headersTimeoutMs).toBe(10_000)
    expect(config.requestTimeoutMs).toBe(30_000)
    expect(config.maxConnections).toBe(1024)
  })

  it('drops a socket that never finishes its headers after the headers timeout', async () => {
    harness = await startHarness({ headersTimeoutMs: 400 })
    const started = performance.now()
    const [slow] = await halfOpen(harness.relay.url, 1)
    await closedCount([slow], 1, 10_000)
    expect(performance.now() - started).toBeGreaterThanOrEqual(350)
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /)
    // The relay is fine afterwards.
    expect(await healthCheckOnNewConnection(harness.relay.url)).toBe('HTTP/1.1 200 OK')
  })

  it('at the connection cap, half-open sockets make room: webhooks and streams keep working', { timeout: 30_000 }, async () => {
    // A headers timeout far beyond the test: only the cap can free the half-open sockets here.
    harness = await startHarness({ maxConnections: 20, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000, rateLimit: false })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const stream = await harness.stream(channel.channel_id, device.token)

    const slow = await halfOpen(harness.relay.url, 40)
    // 40 half-open sockets against a cap of 20 that one stream already uses: at least 21 were let go.
    await closedCount(slow, 21, 10_000)
    expect(harness.relay.metrics().connectionsEvicted).toBeGreaterThanOrEqual(21)

    // Real clients still get in while the cap is held by half-open sockets: a webhook, and a second device's stream.
    const answer = await harness.post(channel.ingest_url, '{"id":"during-the-flood"}')
    expect(answer.status).toBe(200)
    const frame = await stream.waitFor(isWebhook)
    expect(webhookData(frame).seq).toBe(answer.body.seq)
    const other = await harness.createDevice(channel.channel_id)
    const second = await harness.stream(channel.channel_id, other.token)
    expect(second.status).toBe(200)
    expect(webhookData(await second.waitFor(isWebhook)).seq).toBe(answer.body.seq)
    expect(stream.isEnded()).toBe(false)
  })

  it('refuses a new connection only when every open one is busy', { timeout: 30_000 }, async () => {
    harness = await startHarness({ maxConnections: 3 })
    const channel = await harness.createChannel()
    const devices = [await harness.createDevice(channel.channel_id), await harness.createDevice(channel.channel_id), await harness.createDevice(channel.channel_id)]
    const streams = []
    for (const device of devices) streams.push(await harness.stream(channel.channel_id, device.token))
    // Three streams fill the cap; the admin calls' idle keep-alive sockets were evicted to make room.
    expect(await healthCheckOnNewConnection(harness.relay.url)).toBe('closed')
    expect(harness.relay.metrics().connectionsRefused).toBeGreaterThanOrEqual(1)
    streams[0].close()
    await streams[0].ended
    // The stream's slot is free once the relay saw the close; the next connection gets it.
    let status = 'closed'
    for (let attempt = 0; attempt < 50 && status === 'closed'; attempt++) {
      status = await healthCheckOnNewConnection(harness.relay.url)
      if (status === 'closed') await new Promise((resolve) => setImmediate(resolve))
    }
    expect(status).toBe('HTTP/1.1 200 OK')
  })
})
