// Web mode's guards: the token and the Origin check keep other local pages away from the inbox.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { InboxEventListener, InboxResult } from '../../../shared/inbox-api.ts'
import { startWebServer, type RunningWebServer } from '../../../electron/web/web-server.ts'

let server: RunningWebServer
let dir: string
const listeners = new Set<InboxEventListener>()
const calls: { name: string; args: unknown }[] = []

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-web-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dmdesk</title>')
  writeFileSync(join(dir, 'photo.png'), 'png bytes')
  server = await startWebServer({
    rendererDir: dir,
    inbox: {
      invoke: async (name, args): Promise<InboxResult<unknown>> => {
        calls.push({ name, args })
        return { ok: true, value: { echoed: name } }
      },
      on: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      mediaFile: async (id) => (id === 'att_1' ? { path: join(dir, 'photo.png'), mime: 'image/png' } : null)
    }
  })
})

afterEach(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
  calls.length = 0
})

function connect(path: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`, { origin })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** A request with exactly this request target (fetch would normalise some of them). */
function rawRequest(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.origin}/`, { path, headers }, (res) => {
      res.resume()
      resolve(res.statusCode!)
    })
    // An upgrade the server refuses is answered with a plain HTTP status, which Node reports as a response.
    req.once('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode!)
    })
    req.once('error', reject)
    req.end()
  })
}

const nextFrame = (ws: WebSocket) => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))))

describe('web mode', () => {
  it('answers calls and pushes events over the bridge', async () => {
    const ws = await connect(`/bridge?token=${server.token}`, server.origin)
    ws.send(JSON.stringify({ type: 'call', id: 7, name: 'getSession' }))
    expect(await nextFrame(ws)).toEqual({ type: 'result', id: 7, result: { ok: true, value: { echoed: 'getSession' } } })
    const pushed = nextFrame(ws)
    for (const listener of listeners) listener('chats-changed', { chatIds: ['chat_1'] })
    expect(await pushed).toEqual({ type: 'event', name: 'chats-changed', payload: { chatIds: ['chat_1'] } })
    ws.close()
  })

  it('refuses a wrong token, a foreign origin, and malformed frames', async () => {
    await expect(connect('/bridge?token=guess', server.origin)).rejects.toThrow('HTTP 403')
    await expect(connect('/bridge', server.origin)).rejects.toThrow('HTTP 403')
    await expect(connect(`/bridge?token=${server.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403')
    await expect(connect(`/bridge?token=${server.token}`, 'http://localhost:1')).rejects.toThrow('HTTP 403')

    const ws = await connect(`/bridge?token=${server.token}`, server.origin)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send('{"type":"call","id":"not a number","name":"x"}')
    expect(await closed).toBe(1003)
    expect(calls).toEqual([])
  })

  it('serves the renderer, and media only with the token', async () => {
    const page = await fetch(`${server.origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>dmdesk</title>')
    expect((await fetch(`${server.origin}/some/app/route`)).status).toBe(200) // single-page app fallback
    expect((await fetch(`${server.origin}/..%2f..%2fetc%2fpasswd`)).headers.get('content-type')).toContain('text/html')

    expect((await fetch(`${server.origin}/media/att_1`)).status).toBe(403)
    const media = await fetch(`${server.origin}/media/att_1?token=${server.token}`)
    expect(media.status).toBe(200)
    expect(media.headers.get('content-type')).toBe('image/png')
    expect(await media.text()).toBe('png bytes')
    expect((await fetch(`${server.origin}/media/att_2?token=${server.token}`)).status).toBe(404)
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405)
  })

  it('answers 400 to request targets it cannot decode, and keeps serving', async () => {
    expect(await rawRequest('/%')).toBe(400)
    expect(await rawRequest('/assets/%E0%A4%A')).toBe(400)
    expect(await rawRequest(`/media/%?token=${server.token}`)).toBe(400)
    expect(await rawRequest('/media/%')).toBe(403) // the token is checked first
    // "//" is a path of this server, not a URL without a host (that threw, and in an upgrade it ended the process).
    expect(await rawRequest('//')).toBe(200)
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }
    expect(await rawRequest('//', upgrade)).toBe(403)
    expect(await rawRequest(`//?token=${server.token}`, upgrade)).toBe(403)
    expect(await rawRequest('http://evil.example/', upgrade)).toBe(400)
    expect(await rawRequest('/')).toBe(200)
  })
})
