// A loopback TCP proxy in front of the relay, for the desktop's side only, that can misbehave the way a
// reverse proxy or a network does:
// - `forward`: passes bytes both ways;
// - `bad-gateway`: open connections are cut, new ones get `502 Bad Gateway` (an upstream being restarted);
// - `blackhole`: open connections stop delivering the relay's bytes and new ones are accepted and never
//   answered (a half-open stream, a stalled middlebox) — only a watchdog notices.
import { EventEmitter } from 'node:events'
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'

export type ProxyMode = 'forward' | 'bad-gateway' | 'blackhole'

export interface FlakyProxy extends EventEmitter<{ connection: [ProxyMode]; 'bad-gateway': [] }> {
  url: string
  mode: ProxyMode
  setMode(mode: ProxyMode): void
  /** Connections accepted per mode so far. */
  connections: Record<ProxyMode, number>
  close(): Promise<void>
}

const BAD_GATEWAY = 'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: 11\r\nconnection: close\r\n\r\nBad Gateway'

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  /** Live forwarding pairs, so blackhole can stop the relay->client direction. */
  const pipes = new Set<{ client: Socket; upstream: Socket }>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }

  const proxy = new EventEmitter() as FlakyProxy
  proxy.mode = 'forward'
  proxy.connections = { forward: 0, 'bad-gateway': 0, blackhole: 0 }

  const server = createServer((client) => {
    track(client)
    const mode = proxy.mode
    proxy.connections[mode]++
    proxy.emit('connection', mode)
    if (mode === 'bad-gateway') {
      client.once('data', () => {
        client.end(BAD_GATEWAY)
        proxy.emit('bad-gateway')
      })
      return
    }
    if (mode === 'blackhole') {
      client.resume() // read and drop whatever the client sends; say nothing
      return
    }
    const upstream = createConnection({ host: hostname, port: Number(port) })
    track(upstream)
    const pair = { client, upstream }
    pipes.add(pair)
    const cut = (): void => {
      pipes.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('close', cut)
    upstream.on('close', cut)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  proxy.setMode = (mode) => {
    proxy.mode = mode
    if (mode === 'bad-gateway') {
      for (const { client, upstream } of [...pipes]) {
        client.destroy()
        upstream.destroy()
      }
    } else if (mode === 'blackhole') {
      // The relay keeps writing; nothing reaches the desktop and no FIN or RST tells it so.
      for (const { client, upstream } of pipes) {
        upstream.unpipe(client)
        upstream.pause()
      }
      pipes.clear()
    }
  }
  proxy.close = () => {
    for (const socket of sockets) socket.destroy()
    return new Promise((resolve) => server.close(() => resolve()))
  }
  return proxy
}
