// Web mode's bridge against a real WebSocket server on loopback. The bridge's `WebSocket` global is
// ws's client here, not Node 22's built-in one: when a connection cannot be established (refused, or
// a non-101 answer) Node's built-in fires only `error`, while browsers and ws fire `error` then `close`,
// and `close` is what drives the bridge's reconnect loop.
import { randomBytes } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket as WsClient, WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import { BRIDGE_PATH, WEB_TOKEN_PARAM, type CallFrame, type ServerFrame } from '../../../shared/bridge-protocol.ts'
import { parseCallFrame } from '../../../electron/web/call-frame.ts'
import type { InboxEvents } from '../../../shared/inbox-api.ts'
import { loadWebSocketBridge, type BridgeConnection } from './renderer-modules.ts'
import { UNSERVED_LOOPBACK_HOST } from '../../support/unserved-address.ts'

const { WebSocketBridge, bridgeUrlFor } = await loadWebSocketBridge()

/** ws's client made to behave like a browser's: an `error` nobody listens to is not thrown. */
class BrowserLikeWebSocket extends WsClient {
  constructor(url: string) {
    super(url)
    this.on('error', () => {})
  }
}

/** Fails with `what` instead of hanging when `promise` does not settle within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Items pushed by the server side, taken one at a time by the test. */
class Inbox<T> {
  private readonly items: T[] = []
  private readonly waiting: ((item: T) => void)[] = []
  push(item: T): void {
    const waiter = this.waiting.shift()
    if (waiter) waiter(item)
    else this.items.push(item)
  }
  next(what: string, ms = 3_000): Promise<T> {
    const item = this.items.shift()
    if (item !== undefined) return Promise.resolve(item)
    return within(new Promise<T>((resolve) => this.waiting.push(resolve)), ms, what)
  }
}

interface ReceivedCall {
  frame: CallFrame
  socket: ServerSocket
  reply(result: unknown): void
}

/** The core's side of web mode, reduced to the wire: it records handshakes and calls, and answers as told. */
async function startBridgeServer() {
  const token = randomBytes(12).toString('base64url')
  /** Handshakes to reject before accepting one (to exercise the backoff). */
  let rejectNext = 0
  const attempts: number[] = []
  const attemptSeen = new Inbox<number>()
  const connections = new Inbox<ServerSocket>()
  const calls = new Inbox<ReceivedCall>()
  const sockets = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: BRIDGE_PATH,
    verifyClient: (info: { req: { url?: string } }, done: (accept: boolean, code?: number) => void) => {
      // A bridge left over from another test may find this port: only this test's token counts.
      if (new URL(info.req.url ?? '/', 'http://x').searchParams.get(WEB_TOKEN_PARAM) !== token) return done(false, 403)
      attempts.push(performance.now())
      attemptSeen.push(attempts.length)
      if (rejectNext > 0) {
        rejectNext--
        return done(false, 503)
      }
      done(true)
    }
  })
  await new Promise<void>((resolve) => sockets.once('listening', () => resolve()))
  sockets.on('connection', (socket) => {
    connections.push(socket)
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      const frame = parseCallFrame(data.toString())!
      calls.push({ frame, socket, reply: (result) => send(socket, { type: 'result', id: frame.id, result }) })
    })
  })
  const port = (sockets.address() as AddressInfo).port
  return {
    url: bridgeUrlFor({ protocol: 'http:', host: `127.0.0.1:${port}`, search: `?${WEB_TOKEN_PARAM}=${token}` }),
    attempts,
    attemptSeen,
    connections,
    calls,
    rejectHandshakes(count: number) {
      rejectNext = count
    },
    /** The core goes away mid-call: every connection is cut without a close handshake. */
    dropAll() {
      for (const client of sockets.clients) client.terminate()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate()
        sockets.close(() => resolve())
      })
  }
}

function send(socket: ServerSocket, frame: ServerFrame | Record<string, unknown>): void {
  socket.send(JSON.stringify(frame))
}

type Bridge = InstanceType<typeof WebSocketBridge>

/** A bridge URL on a loopback address nothing listens on. */
function unreachableBridgeUrl(): string {
  return bridgeUrlFor({ protocol: 'http:', host: UNSERVED_LOOPBACK_HOST, search: '?token=t' })
}

/** Resolves when the bridge reports `state` (at once if it already is). */
function reaches(bridge: Bridge, state: BridgeConnection, ms = 3_000): Promise<void> {
  if (bridge.connection === state) return Promise.resolve()
  return within(
    new Promise<void>((resolve) => {
      const stop = bridge.onConnection((next) => {
        if (next === state) {
          stop()
          resolve()
        }
      })
    }),
    ms,
    `the bridge to be ${state}`
  )
}

let server: Awaited<ReturnType<typeof startBridgeServer>> | undefined
beforeEach(() => {
  vi.stubGlobal('WebSocket', BrowserLikeWebSocket)
})
afterEach(async () => {
  // The bridge has no way to be stopped; with Node's built-in WebSocket back in place, a bridge left
  // over from a test gives up after its next failed reconnect instead of retrying every 5 s.
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  await server?.close()
  server = undefined
})

describe('bridgeUrlFor', () => {
  it('points at the same host, with the secure scheme when the page is secure, and passes the token on', () => {
    expect(bridgeUrlFor({ protocol: 'http:', host: '127.0.0.1:5174', search: '?token=abc-123' })).toBe('ws://127.0.0.1:5174/bridge?token=abc-123')
    expect(bridgeUrlFor({ protocol: 'https:', host: 'localhost:8443', search: '?x=1&token=a%2Bb' })).toBe('wss://localhost:8443/bridge?token=a%2Bb')
    expect(bridgeUrlFor({ protocol: 'http:', host: '127.0.0.1:5174', search: '' })).toBe('ws://127.0.0.1:5174/bridge?token=')
  })
})

describe('WebSocketBridge', () => {
  it('holds calls made while connecting, then matches each result to its call by id, in any order', async () => {
    server = await startBridgeServer()
    const bridge = new WebSocketBridge(server.url)
    expect(bridge.connection).toBe('connecting')
    const draft1 = bridge.api.getDraft({ chatId: 'chat-1' })
    const draft2 = bridge.api.getDraft({ chatId: 'chat-2' })
    const read = bridge.api.markRead({ chatId: 'chat-3' })

    const received = [await server.calls.next('call 1'), await server.calls.next('call 2'), await server.calls.next('call 3')]
    expect(bridge.connection).toBe('connected')
    expect(received.map((c) => [c.frame.name, c.frame.args])).toEqual([
      ['getDraft', { chatId: 'chat-1' }],
      ['getDraft', { chatId: 'chat-2' }],
      ['markRead', { chatId: 'chat-3' }]
    ])
    expect(new Set(received.map((c) => c.frame.id)).size).toBe(3)

    received[2].reply({ ok: true, value: null })
    received[1].reply({ ok: true, value: 'draft for chat 2' })
    received[0].reply({ ok: false, error: { code: 'not_found', message: 'That conversation no longer exists.' } })
    expect(await within(draft1, 3_000, 'draft1')).toEqual({ ok: false, error: { code: 'not_found', message: 'That conversation no longer exists.' } })
    expect(await within(draft2, 3_000, 'draft2')).toEqual({ ok: true, value: 'draft for chat 2' })
    expect(await within(read, 3_000, 'markRead')).toEqual({ ok: true, value: null })
  })

  it('ignores frames that answer no pending call', async () => {
    server = await startBridgeServer()
    const bridge = new WebSocketBridge(server.url)
    const status = bridge.api.getStatus()
    const call = await server.calls.next('getStatus')
    send(call.socket, { type: 'result', id: call.frame.id + 1000, result: { ok: true, value: 'not yours' } })
    send(call.socket, { type: 'result', id: String(call.frame.id), result: { ok: true, value: 'id as a string' } })
    call.socket.send('{ not json')
    call.socket.send(Buffer.from(JSON.stringify({ type: 'result', id: call.frame.id, result: { ok: true, value: 'binary frame' } })))
    send(call.socket, { type: 'event', name: 42, payload: {} })
    call.reply({ ok: true, value: 'the real answer' })
    expect(await within(status, 3_000, 'getStatus')).toEqual({ ok: true, value: 'the real answer' })
    // An answer for a call already answered changes nothing either.
    call.reply({ ok: true, value: 'again' })
    const next = bridge.api.syncNow()
    const second = await server.calls.next('syncNow')
    expect(second.frame.id).not.toBe(call.frame.id)
    second.reply({ ok: true, value: null })
    expect(await within(next, 3_000, 'syncNow')).toEqual({ ok: true, value: null })
  })

  it('hands events to every listener, even when one throws, until it unsubscribes', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    server = await startBridgeServer()
    const bridge = new WebSocketBridge(server.url)
    const seen: [string, unknown][] = []
    bridge.api.onEvent(() => {
      throw new Error('a broken component')
    })
    const stop = bridge.api.onEvent((name, payload) => seen.push([name, payload]))
    await reaches(bridge, 'connected')
    const socket = await server.connections.next('the connection')
    const changed: InboxEvents['chats-changed'] = { chatIds: ['chat-1', 'chat-2'] }
    send(socket, { type: 'event', name: 'chats-changed', payload: changed })
    // Frames arrive in order: once a later call is answered, the event before it has been handled.
    const flush = async () => {
      const pending = bridge.api.syncNow()
      ;(await server!.calls.next('syncNow')).reply({ ok: true, value: null })
      await within(pending, 3_000, 'syncNow')
    }
    await flush()
    expect(seen).toEqual([['chats-changed', changed]])
    expect(console.error).toHaveBeenCalledTimes(1)
    stop()
    send(socket, { type: 'event', name: 'open-chat', payload: { chatId: 'chat-9' } })
    await flush()
    expect(seen).toHaveLength(1)
  })

  it('fails calls in flight in plain words when the connection drops, and sends later calls once it is back', async () => {
    server = await startBridgeServer()
    const bridge = new WebSocketBridge(server.url)
    const states: BridgeConnection[] = []
    bridge.onConnection((state) => states.push(state))
    const inFlight = bridge.api.sendText({ chatId: 'chat-1', text: 'On my way!' })
    await server.calls.next('sendText')
    server.dropAll()
    const dropped = await within(inFlight, 3_000, 'the dropped call')
    expect(dropped).toEqual({ ok: false, error: { code: 'network', message: expect.stringMatching(/^The connection to dmdesk dropped before this finished\./) } })
    expect(bridge.connection).toBe('reconnecting')

    // Made while reconnecting: held, then sent on the new connection (not lost, not sent twice).
    const later = bridge.api.getDraft({ chatId: 'chat-1' })
    const resent = await server.calls.next('the call made while reconnecting')
    expect(resent.frame).toMatchObject({ name: 'getDraft', args: { chatId: 'chat-1' } })
    resent.reply({ ok: true, value: '' })
    expect(await within(later, 3_000, 'getDraft')).toEqual({ ok: true, value: '' })
    expect(states).toEqual(['connected', 'reconnecting', 'connected'])
  })

  it('retries after 250 ms, doubling each time, and starts from 250 ms again after it reconnects', async () => {
    // The jitter factor (0.8 to 1.2) becomes exactly 1.
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    server = await startBridgeServer()
    server.rejectHandshakes(3)
    const bridge = new WebSocketBridge(server.url)
    await reaches(bridge, 'connected', 5_000)
    const a = server.attempts
    expect(a).toHaveLength(4)
    const gaps = [a[1] - a[0], a[2] - a[1], a[3] - a[2]]
    // Lower bounds are exact (a timer never fires early); upper bounds leave room for a loaded machine.
    expect(gaps[0]).toBeGreaterThanOrEqual(245)
    expect(gaps[0]).toBeLessThan(700)
    expect(gaps[1]).toBeGreaterThanOrEqual(495)
    expect(gaps[1]).toBeLessThan(1_100)
    expect(gaps[2]).toBeGreaterThanOrEqual(995)
    expect(gaps[2]).toBeLessThan(1_800)

    const droppedAt = performance.now()
    server.dropAll()
    for (let seen = 0; seen < 4; seen++) await server.attemptSeen.next('the attempts before the drop', 100)
    await server.attemptSeen.next('the attempt after the drop', 3_000)
    const afterDrop = a[4] - droppedAt
    expect(afterDrop).toBeGreaterThanOrEqual(245)
    expect(afterDrop).toBeLessThan(700)
    await reaches(bridge, 'connected')
  })

  it('gives up on a call after 10 s without a connection, in plain words', async () => {
    // Only the bridge's timers are faked; sockets stay real (and are refused).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const bridge = new WebSocketBridge(unreachableBridgeUrl())
      let answer: unknown = null
      void bridge.api.getStatus().then((result) => (answer = result))
      await vi.advanceTimersByTimeAsync(9_999)
      expect(answer).toBeNull()
      await vi.advanceTimersByTimeAsync(1)
      expect(answer).toEqual({ ok: false, error: { code: 'network', message: expect.stringMatching(/^dmdesk isn't reachable right now\./) } })
    } finally {
      vi.useRealTimers()
    }
  })
})
