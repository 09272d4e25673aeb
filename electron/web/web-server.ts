// Web mode: serves the built renderer and the InboxApi over one loopback WebSocket, so the real core
// and the real renderer run together in any browser (development, end-to-end tests, and machines
// without Electron's binary). Guarded by a random per-run token and an Origin check: another local
// web page cannot drive the inbox.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, readdirSync, readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { WebSocket, WebSocketServer } from 'ws'
import { BRIDGE_PATH, WEB_TOKEN_PARAM, type ServerFrame } from '../../shared/bridge-protocol.ts'
import type { InboxEventListener, InboxResult } from '../../shared/inbox-api.ts'
import { RENDERER_INDEX, contentTypeOf, rendererFileFor } from '../inbox/renderer-files.ts'
import { parseCallFrame } from './call-frame.ts'

/** What web mode needs from the core. */
export interface WebInbox {
  invoke(name: string, args: unknown): Promise<InboxResult<unknown>>
  on(listener: InboxEventListener): () => void
  /** The cached file of an attachment, downloading it first when needed; null when unavailable. */
  mediaFile(attachmentId: string): Promise<{ path: string; mime: string | null } | null>
}

export interface WebServerOptions {
  inbox: WebInbox
  /** The built renderer (out/renderer). */
  rendererDir: string
  port?: number
  token?: string
}

export interface RunningWebServer {
  /** The page to open, token included. */
  url: string
  origin: string
  token: string
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin'
}

/**
 * ws through require(), not import(): its ESM wrapper has Node load each of its CommonJS files through the
 * ESM loader, 60–90 ms of a cold start's CPU against about 30 ms required (side by side, Node 22).
 */
const requireWs = () => createRequire(import.meta.url)('ws') as typeof import('ws')

/** Largest call frame accepted: one media item as base64 (25 MB → ~34 MB) plus overhead. */
const MAX_FRAME_BYTES = 40 * 1024 * 1024

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The request's URL, read strictly as a path on this server ("//x" is a path here, not another host);
 * null when it is not one, which the caller answers with 400.
 */
function requestTarget(rawUrl: string | undefined, origin: string): URL | null {
  if (!rawUrl?.startsWith('/')) return null
  try {
    return new URL(`${origin}${rawUrl}`)
  } catch {
    return null
  }
}

function attachmentIdOf(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice('/media/'.length))
  } catch {
    return null
  }
}

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
}

/**
 * The built renderer's files, read once at start and served from memory: the page then loads in a few
 * turns of the event loop while the core is still busy starting (a file streamed from disk needs a turn
 * per chunk). Empty when the renderer is not built.
 */
function readRenderer(rendererDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  try {
    for (const entry of readdirSync(rendererDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const path = join(entry.parentPath, entry.name)
      files.set(path, readFileSync(path))
    }
  } catch {
    // Not built: every page request is answered 404 with what to run.
  }
  return files
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const rendererDir = resolve(options.rendererDir)
  const renderer = readRenderer(rendererDir)
  let origin = ''

  function serveRendererFile(res: ServerResponse, path: string, contentType: string, cache: string): boolean {
    const body = renderer.get(path)
    if (!body) return false
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length, 'cache-control': cache, ...SECURITY_HEADERS })
    res.end(body)
    return true
  }

  async function serveMediaFile(res: ServerResponse, path: string, contentType: string, cache: string): Promise<boolean> {
    try {
      const info = await stat(path)
      if (!info.isFile()) return false
      res.writeHead(200, { 'content-type': contentType, 'content-length': info.size, 'cache-control': cache, ...SECURITY_HEADERS })
      createReadStream(path).pipe(res)
      return true
    } catch {
      return false
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestTarget(req.url, origin)
    if (!url) {
      res.writeHead(400, SECURITY_HEADERS).end()
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end()
      return
    }
    if (url.pathname.startsWith('/media/')) {
      // Media is private data: the token is required, as for the bridge.
      if (!sameToken(url.searchParams.get(WEB_TOKEN_PARAM), token)) {
        res.writeHead(403, SECURITY_HEADERS).end()
        return
      }
      const attachmentId = attachmentIdOf(url.pathname)
      if (attachmentId === null) {
        res.writeHead(400, SECURITY_HEADERS).end()
        return
      }
      const file = await options.inbox.mediaFile(attachmentId)
      if (file && (await serveMediaFile(res, file.path, file.mime ?? 'application/octet-stream', 'private, max-age=31536000, immutable'))) return
      res.writeHead(404, SECURITY_HEADERS).end()
      return
    }
    // The renderer's static files; anything unknown gets index.html (a single-page app).
    const asset = rendererFileFor(rendererDir, url.pathname)
    if (asset.kind === 'malformed') {
      res.writeHead(400, SECURITY_HEADERS).end()
      return
    }
    if (asset.kind === 'inside' && serveRendererFile(res, asset.path, asset.contentType, 'no-cache')) return
    const index = join(rendererDir, RENDERER_INDEX)
    if (serveRendererFile(res, index, contentTypeOf(index), 'no-store')) return
    res.writeHead(404, SECURITY_HEADERS).end('The renderer is not built: run npm run build')
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS)
      res.end()
    })
  })

  /** The bridge: each call frame answered with its result, the core's events pushed as they come. */
  function bridgeSockets({ WebSocketServer }: typeof import('ws')): WebSocketServer {
    const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
    sockets.on('connection', (ws: WebSocket) => {
      const unsubscribe = options.inbox.on((name, payload) => send(ws, { type: 'event', name, payload }))
      ws.on('close', unsubscribe)
      ws.on('error', () => ws.close())
      ws.on('message', (data) => {
        const frame = parseCallFrame(data.toString())
        if (!frame) {
          ws.close(1003, 'malformed frame')
          return
        }
        void options.inbox.invoke(frame.name, frame.args).then((result) => send(ws, { type: 'result', id: frame.id, result }))
      })
    })
    return sockets
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Loaded only once the address is announced (the next turn): the page connects its bridge only once its
  // script has run, long after.
  const sockets = nextTurn().then(() => bridgeSockets(requireWs()))
  server.on('upgrade', (req, socket, head) => {
    const url = requestTarget(req.url, origin)
    if (!url) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const allowed = url.pathname === BRIDGE_PATH && sameToken(url.searchParams.get(WEB_TOKEN_PARAM), token) && req.headers.origin === origin
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    void sockets.then(
      (bridge) => bridge.handleUpgrade(req, socket, head, (ws) => bridge.emit('connection', ws, req)),
      () => socket.destroy()
    )
  })
  return {
    url: `${origin}/?${WEB_TOKEN_PARAM}=${token}`,
    origin,
    token,
    close: async () => {
      const bridge = await sockets.catch(() => null)
      for (const client of bridge?.clients ?? []) client.terminate()
      bridge?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
