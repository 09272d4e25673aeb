// The thin Electron glue with `electron` faked (its runtime cannot run here): window security,
// link handling, the IPC sender check, the media protocol. Calls go to the real core.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => {
  const windows: FakeWindow[] = []
  const opened: string[] = []
  class FakeContents {
    handlers = new Map<string, (...args: unknown[]) => void>()
    openHandler: ((details: { url: string }) => { action: string }) | null = null
    on(event: string, handler: (...args: unknown[]) => void) {
      this.handlers.set(event, handler)
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler
    }
  }
  class FakeWindow {
    options: Record<string, unknown>
    webContents = new FakeContents()
    loaded: string | null = null
    events = new Map<string, () => void>()
    constructor(options: Record<string, unknown>) {
      this.options = options
      windows.push(this)
    }
    on(event: string, handler: () => void) {
      this.events.set(event, handler)
    }
    once(event: string, handler: () => void) {
      this.events.set(event, handler)
    }
    loadURL(url: string) {
      this.loaded = url
      return Promise.resolve()
    }
    getBounds() {
      return { x: 10, y: 20, width: 900, height: 700 }
    }
    isMinimized() {
      return false
    }
    isFullScreen() {
      return false
    }
    show() {}
  }
  /** The work areas of the screens attached now (one 1920×1080 screen unless a test changes it). */
  const workAreas = [{ x: 0, y: 0, width: 1920, height: 1080 }]
  return { windows, opened, workAreas, FakeWindow }
})

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeWindow,
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  screen: { getAllDisplays: () => fake.workAreas.map((workArea) => ({ workArea })) }
}))

const { createMainWindow } = await import('../../../electron/main/main-window.ts')
const { windowStateIn } = await import('../../../electron/main/window-state.ts')
const { registerInboxIpc } = await import('../../../electron/main/ipc.ts')
const { attachmentIdOf, mediaUrl, registerMediaProtocol } = await import('../../../electron/main/media-protocol.ts')
const { openableExternalUrl } = await import('../../../electron/main/external-links.ts')
const { Inbox } = await import('../../../electron/inbox/inbox.ts')
const { MemorySecretStore } = await import('../../../electron/inbox/secrets/index.ts')
const { IPC_CALL_CHANNEL } = await import('../../../shared/inbox-calls.ts')

afterEach(() => {
  fake.windows.length = 0
  fake.opened.length = 0
  fake.workAreas.splice(0, fake.workAreas.length, { x: 0, y: 0, width: 1920, height: 1080 })
})

describe('the main window', () => {
  it('is sandboxed and isolated, never navigates, and opens only safe links outside', () => {
    const saved: unknown[] = []
    const window = createMainWindow({
      preloadPath: '/app/preload/index.cjs',
      rendererUrl: 'app://dmdesk/index.html',
      state: { load: () => ({ x: 1, y: 2, width: 1000, height: 650 }), save: (b) => saved.push(b) }
    }) as unknown as InstanceType<typeof fake.FakeWindow>
    expect(window.options).toMatchObject({
      x: 1,
      y: 2,
      width: 1000,
      height: 650,
      show: false,
      webPreferences: { preload: '/app/preload/index.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false }
    })
    expect(window.loaded).toBe('app://dmdesk/index.html')

    // The renderer is one page: no navigation, not within app:// and not to file:// or the web.
    for (const url of ['app://dmdesk/index.html', 'app://dmdesk/other.html', 'app://evil/index.html', 'file:///etc/passwd', 'https://evil.example/']) {
      let prevented = false
      window.webContents.handlers.get('will-navigate')!({ url, preventDefault: () => (prevented = true) })
      expect(prevented, url).toBe(true)
    }

    const open = window.webContents.openHandler!
    expect(open({ url: 'https://shop.example/item' })).toEqual({ action: 'deny' })
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(fake.opened).toEqual(['https://shop.example/item'])

    window.events.get('resize')!()
    expect(saved).toEqual([{ x: 10, y: 20, width: 900, height: 700 }])
  })

  it('takes only sane numeric bounds from a saved window row: a crafted inbox.db cannot weaken the window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmdesk-window-'))
    const inbox = await Inbox.open({ dataDir: dir, secrets: new MemorySecretStore() })
    try {
      inbox.cache.settings.set('window', {
        x: 40,
        y: 30,
        width: 1000,
        height: 650,
        show: true,
        frame: false,
        webPreferences: { sandbox: false, contextIsolation: false, nodeIntegration: true, webSecurity: false, preload: '/tmp/evil.cjs' },
        preload: '/tmp/evil.cjs'
      })
      const open = () => createMainWindow({ preloadPath: '/app/preload/index.cjs', rendererUrl: 'app://dmdesk/index.html', state: windowStateIn(inbox.cache.settings) }) as unknown as InstanceType<typeof fake.FakeWindow>
      const crafted = open()
      expect(crafted.options).toEqual({
        width: 1000,
        height: 650,
        x: 40,
        y: 30,
        minWidth: 720,
        minHeight: 480,
        show: false,
        title: 'dmdesk',
        webPreferences: {
          preload: '/app/preload/index.cjs',
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          spellcheck: true
        }
      })

      const defaults = { width: 1180, height: 780 }
      const restored = (saved: unknown) => {
        inbox.cache.settings.set('window', saved)
        const { x, y, width, height } = open().options
        return { x, y, width, height }
      }
      // Not numbers, not finite, absurd sizes: the defaults.
      expect(restored({ x: '40', y: 30, width: '1000', height: 650 })).toEqual({ ...defaults, x: undefined, y: undefined })
      expect(restored({ x: 0, y: 0, width: Number.MAX_SAFE_INTEGER, height: 650 })).toEqual({ ...defaults, x: undefined, y: undefined })
      expect(restored({ x: 0, y: 0, width: 10, height: 10 })).toEqual({ ...defaults, x: undefined, y: undefined })
      expect(restored(['x', 1])).toEqual({ ...defaults, x: undefined, y: undefined })
      expect(restored(null)).toEqual({ ...defaults, x: undefined, y: undefined })
      // A place on a screen that is no longer attached: the size is kept, the OS places the window.
      expect(restored({ x: 5000, y: 3000, width: 1000, height: 650 })).toEqual({ width: 1000, height: 650, x: undefined, y: undefined })
      expect(restored({ x: 100, y: -600, width: 1000, height: 650 })).toEqual({ width: 1000, height: 650, x: undefined, y: undefined })
      // A second screen to the left, where the window was: restored there.
      fake.workAreas.push({ x: -1280, y: 0, width: 1280, height: 1024 })
      expect(restored({ x: -1200, y: 100, width: 1000, height: 650 })).toEqual({ width: 1000, height: 650, x: -1200, y: 100 })
    } finally {
      await inbox.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('allows only harmless link schemes', () => {
    expect(openableExternalUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c')
    expect(openableExternalUrl('mailto:hi@example.com')).toBe('mailto:hi@example.com')
    expect(openableExternalUrl('https://bank.example@evil.example/')).toBeNull()
    for (const bad of ['file:///C:/Windows/system32/calc.exe', 'smb://share/x', 'javascript:alert(1)', 'not a url', 'ms-msdt:/id']) {
      expect(openableExternalUrl(bad)).toBeNull()
    }
  })
})

describe('IPC', () => {
  const prefix = 'app://dmdesk/'
  async function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'dmdesk-ipc-'))
    const inbox = await Inbox.open({ dataDir: dir, secrets: new MemorySecretStore() })
    const handlers = new Map<string, (event: unknown, name: unknown, args: unknown) => Promise<unknown>>()
    const ipcMain = {
      handle: (channel: string, fn: (event: unknown, name: unknown, args: unknown) => Promise<unknown>) => handlers.set(channel, fn),
      removeHandler: (channel: string) => handlers.delete(channel)
    }
    const unregister = registerInboxIpc(ipcMain as never, inbox, prefix)
    const call = (frame: unknown, name: unknown, args?: unknown) => handlers.get(IPC_CALL_CHANNEL)!({ senderFrame: frame }, name, args)
    return {
      call,
      async close() {
        unregister()
        expect([...handlers.keys()]).toEqual([])
        await inbox.close()
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
  const appFrame = { url: `${prefix}index.html`, parent: null }

  it('answers the app page and refuses subframes and foreign pages', async () => {
    const { call, close } = await setup()
    expect(await call(appFrame, 'getSession')).toEqual({ ok: true, value: { state: 'signed_out' } })
    const foreign = [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///app/out/renderer/index.html', parent: null },
      { url: 'app://dmdesk.evil.example/index.html', parent: null },
      { url: `${prefix}index.html`, parent: appFrame },
      null
    ]
    for (const frame of foreign) {
      expect(await call(frame, 'getSession')).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringMatching(/did not come from the dmdesk window/) } })
    }
    await close()
  })

  it('refuses bad call names and bad arguments with the shared schemas', async () => {
    const { call, close } = await setup()
    expect(await call(appFrame, 42)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(await call(appFrame, 'constructor')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(await call(appFrame, 'saveDraft', { chatId: 'chat_1', text: 7 })).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining('text') } })
    expect(await call(appFrame, 'signIn', { apiKey: '' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    await close()
  })
})

describe('the media protocol', () => {
  it('maps attachment ids both ways and refuses anything else', () => {
    expect(mediaUrl('att_1/../x')).toBe('dmdesk-media://attachment/att_1%2F..%2Fx')
    expect(attachmentIdOf(mediaUrl('att_42'))).toBe('att_42')
    expect(attachmentIdOf(mediaUrl('att_1/../x'))).toBeNull()
    expect(attachmentIdOf('dmdesk-media://other/att_1')).toBeNull()
    expect(attachmentIdOf('https://attachment/att_1')).toBeNull()
    expect(attachmentIdOf('dmdesk-media://attachment/%')).toBeNull()
    expect(attachmentIdOf('dmdesk-media://attachment/%E0%A4%A')).toBeNull()
  })

  it('serves a cached file with its type and 404s the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmdesk-proto-'))
    writeFileSync(join(dir, 'a.png'), 'png!')
    let handler: ((request: Request) => Promise<Response>) | null = null
    const protocol = { handle: (_scheme: string, fn: typeof handler) => (handler = fn) }
    const net = { fetch: async (url: string) => new Response((await import('node:fs')).readFileSync(new URL(url))) }
    registerMediaProtocol(protocol as never, net as never, async (id) => (id === 'att_1' ? { path: join(dir, 'a.png'), mime: 'image/png' } : null))
    const ok = await handler!(new Request(mediaUrl('att_1')))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toBe('image/png')
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await ok.text()).toBe('png!')
    expect((await handler!(new Request(mediaUrl('att_2')))).status).toBe(404)
    expect((await handler!(new Request('dmdesk-media://attachment/%'))).status).toBe(400)
    expect((await handler!(new Request('dmdesk-media://other/att_1'))).status).toBe(400)
    rmSync(dir, { recursive: true, force: true })
  })
})
