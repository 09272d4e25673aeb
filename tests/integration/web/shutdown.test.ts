// Web mode stops at once on SIGTERM, and nothing is lost: the real `node electron/web/cli.ts` process, a
// page's WebSocket and keep-alive connection, the demo's simulator and relay, the SQLite files on disk.
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { Agent, get } from 'node:http'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { InboxResult, ThreadMessage } from '../../../shared/inbox-api.ts'
import { ProjectProcesses } from '../../support/project-processes.ts'
import { connectWebBridge } from '../../support/web-bridge-client.ts'

/** The budget from SIGTERM to the process having exited. */
const STOP_WITHIN_MS = 1000
/** Whole tests: each starts real processes (the demo generates its inbox), which takes seconds on a busy machine. */
const PROCESS_TEST_MS = 120_000

const processes = new ProjectProcesses()
const startProcess = (script: string, args: string[], env: Record<string, string> = {}) => processes.start(script, args, env)
let dir: string

afterEach(async () => {
  await processes.killAll()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Sends SIGTERM and resolves with how long the process took to exit, and how it exited. */
async function terminate(child: ChildProcess): Promise<{ ms: number; code: number | null; signal: string | null }> {
  const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])))
  const start = performance.now()
  child.kill('SIGTERM')
  const [code, signal] = await exited
  return { ms: performance.now() - start, code, signal }
}

/** A keep-alive HTTP connection to the page's server, left open and idle like a browser's. */
async function keepAliveConnection(pageUrl: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let socketClosed!: Promise<void>
  await new Promise<void>((resolve, reject) => {
    get(pageUrl, { agent }, (response) => {
      response.resume()
      response.once('end', () => resolve())
    })
      .once('socket', (socket: Socket) => (socketClosed = new Promise((closed) => socket.once('close', () => closed()))))
      .once('error', reject)
  })
  return { socketClosed, agent }
}

function walFilesBelow(folder: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.name.endsWith('-wal')) found.push(join(entry.parentPath, entry.name))
  }
  return found
}

async function openChatId(call: (name: string, args?: unknown) => Promise<InboxResult<unknown>>): Promise<string> {
  const chats = await call('listChats', { filter: 'window_open', limit: 1 })
  if (!chats.ok) throw new Error(chats.error.message)
  return (chats.value as { chats: { id: string }[] }).chats[0].id
}

describe('web mode on SIGTERM', () => {
  it('stops in under a second in demo mode, a page connected and a reconcile under way, closing everything', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dmdesk-shutdown-'))
    const app = await startProcess('electron/web/cli.ts', ['--demo', '--no-alive', '--port', '0', '--data-dir', dir, '--memory-secrets'])
    const { simulatorUrl, simulatorApiKey } = app.announcement
    // A slow Postproxy: every request takes two seconds, so the reconcile the tunnel starts as it connects
    // is still under way when the creator quits (quitting used to wait for it, and then for the relay).
    const slow = await fetch(`${simulatorUrl}/_sim/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${simulatorApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'latency', ms: 2000 })
    })
    expect(slow.ok).toBe(true)
    const page = await connectWebBridge(app.announcement.url)
    const browser = await keepAliveConnection(app.announcement.url)
    await page.statusWhere((status) => status.tunnel.state === 'connected')

    const stop = await terminate(app.child)
    expect(stop, app.stderr()).toMatchObject({ code: 0, signal: null })
    expect(stop.ms).toBeLessThan(STOP_WITHIN_MS)
    await page.closed
    await browser.socketClosed
    browser.agent.destroy()
    // SQLite removes a database's -wal file when its last connection closes cleanly: the inbox's, the
    // demo simulator's and the demo relay's.
    expect(existsSync(join(dir, 'inbox.db'))).toBe(true)
    expect(existsSync(join(dir, 'demo', 'simulator.db'))).toBe(true)
    expect(walFilesBelow(dir)).toEqual([])
    const db = new Database(join(dir, 'inbox.db'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  }, PROCESS_TEST_MS)

  it('keeps a send queued while offline through the stop: the next start shows it and sends it, once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dmdesk-shutdown-'))
    const simulatorData = join(dir, 'simulator.db')
    const simulatorArgs = ['--scenario', 'demo', '--no-alive', '--seed', '7', '--data', simulatorData]
    const backend = await startProcess('simulator/cli.ts', ['--port', '0', ...simulatorArgs])
    const { url: backendUrl, apiKey } = backend.announcement
    const env = { POSTPROXY_BASE_URL: backendUrl, POSTPROXY_API_KEY: apiKey }
    const appArgs = ['--port', '0', '--data-dir', join(dir, 'app'), '--memory-secrets']
    const app = await startProcess('electron/web/cli.ts', appArgs, env)
    const page = await connectWebBridge(app.announcement.url)
    await page.statusWhere((status) => status.sync.lastSyncedAt !== null)
    const chatId = await openChatId(page.call)

    // Postproxy goes away; the send waits in the outbox.
    expect((await terminate(backend.child)).code).toBe(0)
    const offline = page.statusWhere((status) => status.connection === 'offline')
    const queued = await page.call('sendText', { chatId, text: 'Written on the plane' })
    expect(queued.ok).toBe(true)
    await offline

    const stop = await terminate(app.child)
    expect(stop, app.stderr()).toMatchObject({ code: 0, signal: null })
    expect(stop.ms).toBeLessThan(STOP_WITHIN_MS)
    expect(walFilesBelow(join(dir, 'app'))).toEqual([])
    const db = new Database(join(dir, 'app', 'inbox.db'), { readonly: true })
    expect(db.prepare('SELECT state, body FROM outbox').all()).toEqual([{ state: 'queued', body: 'Written on the plane' }])
    db.close()

    // The next start shows it where it was written, and sends it at once (not at its offline retry time): one message.
    const backendAgain = await startProcess('simulator/cli.ts', ['--port', new URL(backendUrl).port, '--api-key', apiKey, ...simulatorArgs])
    const appAgain = await startProcess('electron/web/cli.ts', appArgs, env)
    const written = (messages: ThreadMessage[]) => messages.filter((m) => m.body === 'Written on the plane')
    const rows = await (await connectWebBridge(appAgain.announcement.url)).threadWhere(chatId, (messages) => written(messages)[0]?.status === 'sent')
    expect(written(rows)).toHaveLength(1)
    await terminate(appAgain.child)
    await terminate(backendAgain.child)
  }, PROCESS_TEST_MS)
})
