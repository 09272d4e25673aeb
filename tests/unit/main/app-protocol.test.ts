// app://dmdesk/ serves the built renderer to the Electron window (instead of file://, so the
// GrantFileProtocolExtraPrivileges fuse can be off): only files inside the renderer directory, with their
// types, under the strict CSP. Electron's `protocol` is faked by capturing the handler; the files are real.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, registerAppProtocol, RENDERER_URL } from '../../../electron/main/app-protocol.ts'

const repoRoot = join(import.meta.dirname, '../../..')
let dir: string
let serve: (request: Request) => Promise<Response>

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-app-protocol-'))
  const rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  copyFileSync(join(repoRoot, 'renderer/index.html'), join(rendererDir, 'index.html'))
  writeFileSync(join(rendererDir, 'assets/index-abc.js'), 'export {}')
  writeFileSync(join(rendererDir, 'assets/index-abc.css'), 'body{}')
  writeFileSync(join(rendererDir, 'assets/logo.svg'), '<svg/>')
  writeFileSync(join(dir, 'secret.txt'), 'cached DMs')
  const protocol = {
    handle: (scheme: string, handler: typeof serve) => {
      expect(scheme).toBe('app')
      serve = handler
    }
  }
  registerAppProtocol(protocol as never, rendererDir)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (url: string, init?: RequestInit) => serve(new Request(url, init))

describe('app://dmdesk/', () => {
  it('is a standard, secure scheme with V8\'s code cache, and the window loads its index', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true, codeCache: true } })
    expect(RENDERER_URL).toBe(`${APP_ORIGIN}/index.html`)
  })

  it('serves the renderer files with their types', async () => {
    const page = await get(RENDERER_URL)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<div id="app"></div>')
    expect((await get('app://dmdesk/')).headers.get('content-type')).toBe('text/html; charset=utf-8')
    const script = await get('app://dmdesk/assets/index-abc.js')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('export {}')
    expect((await get('app://dmdesk/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await get('app://dmdesk/assets/logo.svg')).headers.get('content-type')).toBe('image/svg+xml')
  })

  it('never serves a file outside the renderer directory', async () => {
    for (const url of [
      'app://dmdesk/..%2fsecret.txt',
      'app://dmdesk/assets/..%2f..%2fsecret.txt',
      'app://dmdesk/%2e%2e%2fsecret.txt',
      'app://dmdesk/..%5csecret.txt',
      `app://dmdesk/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      'app://dmdesk/../secret.txt'
    ]) {
      const response = await get(url)
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).not.toContain('cached DMs')
    }
    expect((await get('app://dmdesk/missing.js')).status).toBe(404)
    expect((await get('app://dmdesk/assets')).status).toBe(404)
    expect((await get('app://another-host/index.html')).status).toBe(404)
  })

  it('answers 400 to a path it cannot decode and 405 to anything but GET', async () => {
    expect((await get('app://dmdesk/%')).status).toBe(400)
    expect((await get('app://dmdesk/%00index.html')).status).toBe(400)
    expect((await get(RENDERER_URL, { method: 'POST', body: 'x' })).status).toBe(405)
  })

  it('serves the page under a strict CSP that needs nothing from file://', async () => {
    const html = await (await get(RENDERER_URL)).text()
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(policy).toBeDefined()
    const directives = new Map(policy!.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('connect-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('img-src')).toContain('dmdesk-media:')
    expect(directives.get('media-src')).toContain('dmdesk-media:')
    for (const values of directives.values()) {
      for (const value of values) expect(value).not.toMatch(/^(file:|\*|'unsafe-eval'|https?:)$/)
    }
  })
})
