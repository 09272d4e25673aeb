// Web mode serves the page while its core is still starting (issue #14: the browser loads the renderer
// while Node loads the core and the key is checked), and a call made meanwhile waits for the core: it is
// answered by the signed-in inbox, never by a half-started one. Real processes: `node electron/web/cli.ts`
// and the simulator, with a gate in front of the simulator that holds Postproxy's answers until the test
// opens it (so "still starting" is a state the test controls, not a race).
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ProjectProcesses } from '../../support/project-processes.ts'
import { connectWebBridge } from '../../support/web-bridge-client.ts'

/** Whole tests: real processes on a busy machine. */
const PROCESS_TEST_MS = 120_000

const processes = new ProjectProcesses()
let dir: string
let gate: Server | undefined

afterEach(async () => {
  gate?.closeAllConnections()
  await new Promise((resolve) => (gate ? gate.close(resolve) : resolve(undefined)))
  await processes.killAll()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A proxy to `target` that holds every request until `open()`; `requested` resolves at the first one. */
async function startGate(target: string): Promise<{ url: string; requested: Promise<void>; open(): void }> {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  let firstRequest!: () => void
  const requested = new Promise<void>((resolve) => (firstRequest = resolve))
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }
  gate = createServer((req, res) => {
    firstRequest()
    req.pause()
    void opened.then(() => forward(req, res))
  })
  await new Promise<void>((resolve) => gate!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(gate.address() as AddressInfo).port}`, requested, open }
}

describe('web mode starting', () => {
  it('serves the page before its core has started, and answers calls made meanwhile as the signed-in inbox', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dmdesk-start-up-'))
    const simulator = await processes.start('simulator/cli.ts', ['--port', '0', '--scenario', 'demo', '--no-alive', '--seed', '3'])
    const postproxy = await startGate(simulator.announcement.url)
    const env = { POSTPROXY_BASE_URL: postproxy.url, POSTPROXY_API_KEY: simulator.announcement.apiKey }
    const app = await processes.start('electron/web/cli.ts', ['--port', '0', '--data-dir', join(dir, 'app'), '--memory-secrets'], env)

    // The key's check (GET /api/profiles) is held: the core cannot have signed in yet.
    await postproxy.requested
    const html = await fetch(app.announcement.url)
    expect(html.status).toBe(200)
    expect(await html.text()).toContain('id="app"')
    // Calls made now reach a core that is still starting: they wait for it, and are answered by the
    // signed-in inbox (a half-started one would say "signed out", or fail).
    const page = await connectWebBridge(app.announcement.url)
    const session = page.call('getSession')
    const chats = page.call('listChats', { limit: 5 })

    postproxy.open()
    expect(await session, app.stderr()).toMatchObject({ ok: true, value: { state: 'signed_in', mode: 'live' } })
    expect(await chats).toMatchObject({ ok: true })
  }, PROCESS_TEST_MS)
})
