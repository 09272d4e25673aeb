// Playwright fixtures: every test gets its own dmdesk in web mode (real core, real SQLite, real
// simulator on loopback) in a throwaway data directory, stopped when the test ends.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test as base, expect } from '@playwright/test'

const ROOT = join(import.meta.dirname, '../..')

export interface RunningProcess {
  child: ChildProcess
  /** The first stdout line, parsed. */
  announcement: Record<string, string>
  stop(): Promise<void>
}

/** Starts `node <script> ...args` and resolves with its first stdout line (a JSON object). */
export async function startNodeProcess(script: string, args: string[], env: Record<string, string> = {}): Promise<RunningProcess> {
  const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const announcement = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 30 s:\n${stderr}`)), 30_000)
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      resolve(JSON.parse(line))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code}:\n${stderr}`))
    })
  })
  return {
    child,
    announcement,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
        child.once('exit', () => {
          clearTimeout(force)
          resolve()
        })
        child.kill('SIGTERM')
      })
  }
}

export interface DmdeskApp {
  /** The page URL, token included. */
  url: string
  dataDir: string
  /** The simulator behind the app (demo mode's embedded one, or the stand-alone one for live mode). */
  simulatorUrl: string
  simulatorApiKey: string
  /** Calls the simulator's control API (see simulator/README.md), e.g. `control('POST', '/_sim/inbound', {...})`. */
  control(method: string, path: string, body?: unknown): Promise<unknown>
  /** Stops the app (the data directory stays) and starts it again on the same data, e.g. to read the cache offline. */
  restart(options?: { env?: Record<string, string>; args?: string[] }): Promise<void>
  stop(): Promise<void>
  /** Live mode only: stops the Postproxy simulator while the app keeps running (the network is gone). */
  stopBackend?(): Promise<void>
}

async function controlCall(simulatorUrl: string, apiKey: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, simulatorUrl), {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text}`)
  return text ? JSON.parse(text) : null
}

async function launchApp(dataDir: string, args: string[], env: Record<string, string>) {
  return startNodeProcess('electron/web/cli.ts', ['--port', '0', '--data-dir', dataDir, '--memory-secrets', ...args], env)
}

/**
 * A handle on a running app. `relaunch` starts the web-mode process again on the same data
 * directory; the simulator is read from its first line where it has one (started with --demo).
 */
function appHandle(options: {
  dataDir: string
  simulator: { url: string; apiKey: string }
  launch: (extra: { env?: Record<string, string>; args?: string[] }) => Promise<RunningProcess>
  first: RunningProcess
  stopBackend?: () => Promise<void>
}): DmdeskApp {
  let app = options.first
  const handle: DmdeskApp = {
    get url() {
      return app.announcement.url
    },
    dataDir: options.dataDir,
    simulatorUrl: options.simulator.url,
    simulatorApiKey: options.simulator.apiKey,
    control: (method, path, body) => controlCall(handle.simulatorUrl, handle.simulatorApiKey, method, path, body),
    async restart(extra = {}) {
      await app.stop()
      app = await options.launch(extra)
      if (app.announcement.simulatorUrl) {
        handle.simulatorUrl = app.announcement.simulatorUrl
        handle.simulatorApiKey = app.announcement.simulatorApiKey
      }
    },
    stop: () => app.stop(),
    stopBackend: options.stopBackend
  }
  return handle
}

export const test = base.extend<{
  /** dmdesk in demo mode (personas off, so the inbox only changes when a test changes it). */
  demoApp: DmdeskApp
  /** dmdesk signed out, with a stand-alone simulator whose key the test can paste into onboarding. */
  liveApp: DmdeskApp
  /**
   * dmdesk signed in (the key pasted in onboarding) to a stand-alone simulator whose key holds several
   * profiles (`--profiles multi`: two Instagram accounts, a Messenger Page, a TikTok without DMs).
   */
  multiApp: DmdeskApp
}>({
  demoApp: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dmdesk-e2e-'))
    const first = await launchApp(dataDir, ['--demo', '--no-alive'], {})
    const handle = appHandle({
      dataDir,
      simulator: { url: first.announcement.simulatorUrl, apiKey: first.announcement.simulatorApiKey },
      first,
      // --demo again: it restores the demo (never replaces a session), and its first line then names the
      // demo's simulator, which has a new address after a restart.
      launch: (extra) => launchApp(dataDir, ['--demo', '--no-alive', ...(extra.args ?? [])], extra.env ?? {})
    })
    await use(handle)
    await handle.stop()
    rmSync(dataDir, { recursive: true, force: true })
  },

  liveApp: async ({}, use) => {
    await withLiveApp([], use)
  },

  multiApp: async ({ page }, use) => {
    await withLiveApp(['--profiles', 'multi'], async (handle) => {
      await page.goto(handle.url)
      await page.getByRole('textbox', { name: 'API key' }).fill(handle.simulatorApiKey)
      await page.getByRole('button', { name: 'Connect' }).click()
      await expect(page.getByRole('navigation', { name: 'Conversations' }).getByRole('list', { name: 'Chats' }).getByRole('listitem').first()).toBeVisible()
      // The first sync of every profile done (without a relay, changes arrive with the next poll after it):
      // a test's change then shows within one poll interval, however long that first sync took.
      await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(/Up to date|Updated/, { timeout: 120_000 })
      await use(handle)
    })
  }
})

/** dmdesk signed out beside a stand-alone simulator (`simulatorArgs` added to the demo scenario's), both stopped afterwards. */
async function withLiveApp(simulatorArgs: string[], use: (app: DmdeskApp) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dmdesk-e2e-'))
  const simulator = await startNodeProcess('simulator/cli.ts', ['--port', '0', '--scenario', 'demo', '--no-alive', '--seed', '7', ...simulatorArgs])
  const { url, apiKey } = simulator.announcement
  const launch = (extra: { env?: Record<string, string>; args?: string[] }) => launchApp(dataDir, extra.args ?? [], { POSTPROXY_BASE_URL: url, ...(extra.env ?? {}) })
  const handle = appHandle({ dataDir, simulator: { url, apiKey }, first: await launch({}), launch, stopBackend: () => simulator.stop() })
  try {
    await use(handle)
  } finally {
    await handle.stop()
    await simulator.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export { expect }
