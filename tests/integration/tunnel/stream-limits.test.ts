// Issue #12.9: an event stream that sends a line without end (up to 256 MiB here, 400 MiB in the report)
// must not grow the desktop's memory: past the 2 MiB cap the connection is dropped, counted, and tried again
// with backoff — while the largest legitimate frame (a 1 MiB body through the real relay) still passes.
import { EventEmitter, once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { EventStreamConnection, type StreamState } from '../../../electron/inbox/tunnel/event-stream-connection.ts'
import { DEFAULT_MAX_SSE_LINE, type SseEvent } from '../../../electron/inbox/tunnel/sse-parser.ts'
import { DEFAULT_BODY_LIMIT_BYTES } from '../../../relay/options.ts'
import { postproxySignatureHeader } from '../../../electron/inbox/postproxy/index.ts'
import { envelope, tunnelWorld, until, type TunnelWorld } from './tunnel-world.ts'

const MIB = 1024 * 1024
const FLOOD_BYTES = 256 * MIB
const FLOOD_CHUNK = Buffer.alloc(64 * 1024, 'x')

let server: Server | undefined
let connection: EventStreamConnection | undefined
let world: TunnelWorld | undefined
afterEach(async () => {
  await connection?.stop()
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  await world?.close()
  server = undefined
  connection = undefined
  world = undefined
})

/** Writes `data: xxxx…` with no line end, honouring backpressure, until `FLOOD_BYTES` or the client hangs up. */
async function flood(response: ServerResponse, onChunk: () => void): Promise<number> {
  response.writeHead(200, { 'content-type': 'text/event-stream' })
  let sent = 0
  response.write('data: ')
  while (sent < FLOOD_BYTES && !response.destroyed) {
    sent += FLOOD_CHUNK.length
    onChunk()
    if (!response.write(FLOOD_CHUNK)) {
      const drained = once(response, 'drain').then(() => true)
      const closed = once(response, 'close').then(() => false)
      if (!(await Promise.race([drained, closed]))) break
    }
  }
  response.end()
  return sent
}

describe('a stream that never ends its line', () => {
  it('is dropped at the cap with memory flat, counted, and retried with backoff; the next connection delivers', async () => {
    const baseline = process.memoryUsage().heapUsed
    let peakHeap = baseline
    const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed))
    let floodSent: Promise<number> | null = null
    let requests = 0
    server = createServer((_request, response) => {
      if (requests++ === 0) {
        floodSent = flood(response, sample)
        return
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write('id: 1\nevent: webhook\ndata: after the flood\n\n')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`

    const states: StreamState[] = []
    const events: SseEvent[] = []
    const logs: string[] = []
    const changed = new EventEmitter()
    connection = new EventStreamConnection({
      request: () => ({ url, headers: {} }),
      onEvent: (event) => {
        events.push(event)
        changed.emit('change')
      },
      onState: (state) => {
        states.push(state)
        changed.emit('change')
      },
      delay: { minMs: 10, maxMs: 80 },
      log: (line) => logs.push(line)
    })
    connection.start()
    await until(changed, ['change'], () => events.length > 0, 20_000, 'the event after the flood')
    sample()

    // Flat: the cap (2 MiB of text) plus chunks and garbage not yet collected — not the flood.
    expect(peakHeap - baseline).toBeLessThan(48 * MIB)
    // The client stopped reading soon after the cap: the server could not push much more into the socket.
    expect(await floodSent!).toBeLessThan(32 * MIB)
    expect(events.map((e) => e.data)).toEqual(['after the flood'])
    expect(connection.oversizedFrames).toBe(1)
    expect(states.map((s) => s.kind)).toEqual(['connecting', 'open', 'waiting', 'connecting', 'open'])
    const waiting = states[2] as Extract<StreamState, { kind: 'waiting' }>
    expect(waiting.reason).toBe(`the event stream sent a line longer than ${DEFAULT_MAX_SSE_LINE} characters`)
    expect(waiting.failures).toBe(1)
    expect(logs).toContain(`the event stream sent a line longer than ${DEFAULT_MAX_SSE_LINE} characters; dropped the connection`)
  })

  it('a server that repeats the oversized frame is met with a growing backoff, not a tight loop', async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      // One complete line just over the cap, every time.
      response.end(`data: ${'x'.repeat(DEFAULT_MAX_SSE_LINE)}\n\n`)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`
    const waits: Array<Extract<StreamState, { kind: 'waiting' }>> = []
    const changed = new EventEmitter()
    connection = new EventStreamConnection({
      request: () => ({ url, headers: {} }),
      onEvent: () => {
        throw new Error('no event may get through')
      },
      onState: (state) => {
        if (state.kind === 'waiting') waits.push(state)
        changed.emit('change')
      },
      delay: { minMs: 1, maxMs: 40 },
      random: () => 0.999
    })
    connection.start()
    await until(changed, ['change'], () => waits.length >= 4, 20_000, 'four failed attempts')
    expect(waits.slice(0, 4).map((w) => w.failures)).toEqual([1, 2, 3, 4])
    expect(connection.oversizedFrames).toBeGreaterThanOrEqual(4)
  })
})

describe('the largest legitimate frame', () => {
  it('a 1 MiB signed body with padded headers crosses the real relay and the tunnel', async () => {
    world = await tunnelWorld()
    const t = await world.startTunnel()
    const shell = JSON.stringify(envelope('post.published', { padding: '' }))
    const body = shell.replace('"padding":""', `"padding":"${'p'.repeat(DEFAULT_BODY_LIMIT_BYTES - shell.length)}"`)
    expect(Buffer.byteLength(body)).toBe(DEFAULT_BODY_LIMIT_BYTES)
    const headers: Record<string, string> = {
      'x-postproxy-event': 'post.published',
      'x-postproxy-signature': postproxySignatureHeader(await world.webhookSecret(), Math.floor(Date.now() / 1000), body)
    }
    for (let i = 0; i < 8; i++) headers[`x-padding-${i}`] = 'h'.repeat(1000)

    const posted = await world.postToIngest(body, headers)
    expect(posted.status).toBe(200)
    await t.untilCursor(posted.seq!)

    expect(t.frames).toEqual([expect.objectContaining({ seq: posted.seq, result: 'ignored', eventType: 'post.published' })])
    expect(t.tunnel.relayClient!.oversizedFrames).toBe(0)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 0 })
  })
})
