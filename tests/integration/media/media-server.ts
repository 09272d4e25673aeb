// A real HTTP media server on 127.0.0.1 for the media cache tests: routes per path, a log of every
// request that reached it, responses that can be held until the test releases them, and a restart on
// the same port (the "server came back" half of the offline tests).
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { encodePng } from '../../../simulator/scenarios/png.ts'

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>

/** A small real PNG of one colour; different colours give different bytes (and hashes). */
export function solidPng(red: number, green: number, blue: number, size = 2): Buffer {
  const rgb = new Uint8Array(size * size * 3)
  for (let i = 0; i < rgb.length; i += 3) rgb.set([red, green, blue], i)
  return Buffer.from(encodePng(size, size, rgb))
}

export type HeldResponse = {
  /** Resolves when the request has reached the server. */
  arrived: Promise<void>
  /** Lets the server answer. */
  release(): void
  /** Resolves when the client closed the connection before or after the answer. */
  closed: Promise<void>
}

export class MediaServer {
  readonly requests: string[] = []
  private readonly routes = new Map<string, RouteHandler>()
  private server: Server
  private port: number

  private constructor(server: Server, port: number) {
    this.server = server
    this.port = port
  }

  static async start(): Promise<MediaServer> {
    const media = new MediaServer(createServer(), 0)
    await media.listen(0)
    return media
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`
  }

  /** Serves `bytes` at `path` with a Content-Length. */
  serve(path: string, bytes: Uint8Array, contentType = 'image/png'): void {
    this.route(path, (_request, response) => {
      response.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.byteLength) })
      response.end(bytes)
    })
  }

  /** Answers `status` with a short text body. */
  fail(path: string, status: number): void {
    this.route(path, (_request, response) => {
      response.writeHead(status, { 'content-type': 'text/plain' })
      response.end(`status ${status}`)
    })
  }

  /** Serves `bytes` only once `release()` is called. */
  hold(path: string, bytes: Uint8Array, contentType = 'image/png'): HeldResponse {
    let arrive!: () => void
    let release!: () => void
    let close!: () => void
    const arrived = new Promise<void>((resolve) => (arrive = resolve))
    const released = new Promise<void>((resolve) => (release = resolve))
    const closed = new Promise<void>((resolve) => (close = resolve))
    this.route(path, async (_request, response) => {
      response.on('close', () => close())
      arrive()
      await released
      if (response.destroyed) return
      response.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.byteLength) })
      response.end(bytes)
    })
    return { arrived, release, closed }
  }

  route(path: string, handler: RouteHandler): void {
    this.routes.set(path, handler)
  }

  count(path: string): number {
    return this.requests.filter((requested) => requested === path).length
  }

  /** Stops listening and drops open connections: clients now get "connection refused". */
  async close(): Promise<void> {
    if (!this.server.listening) return
    const closed = once(this.server, 'close')
    this.server.close()
    this.server.closeAllConnections()
    await closed
  }

  /** Listens again on the same port (same URLs), with the same routes. */
  async restart(): Promise<void> {
    await this.close()
    this.server = createServer()
    await this.listen(this.port)
  }

  private async listen(port: number): Promise<void> {
    this.server.on('request', (request, response) => this.handle(request, response))
    this.server.listen(port, '127.0.0.1')
    await once(this.server, 'listening')
    this.port = (this.server.address() as AddressInfo).port
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    this.requests.push(path)
    const handler = this.routes.get(path)
    if (!handler) {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('no such file')
      return
    }
    Promise.resolve(handler(request, response)).catch(() => response.destroy())
  }
}
