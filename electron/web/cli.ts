// npm run web -- [--demo] [--port 0] [--data-dir DIR]
// Runs the inbox core and serves the renderer in web mode. The first stdout line is one JSON object:
// {"url": "..."}, printed as soon as the page can be loaded, while the core is still starting (the page's
// calls wait for it). With --demo it comes once the demo runs, with {"simulatorUrl", "simulatorApiKey"}
// too (the simulator's own key, for tests driving the demo's control API).
// POSTPROXY_BASE_URL and POSTPROXY_API_KEY point it at another backend (tests, automation);
// DMDESK_CLOCK_OFFSET_MS runs the app clock that far ahead (snoozes ending while the app was closed).
import { enableCompileCache } from 'node:module'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { DemoBackend, Inbox } from '../inbox/inbox.ts'
import type { SecretStore } from '../inbox/secrets/index.ts'
import { limitHeapGrowth } from '../inbox/process-memory.ts'
import { FIRST_LOOK_GRACE_MS } from '../inbox/sync/first-look.ts'
import { inboxWhenReady } from './inbox-when-ready.ts'
import { startWebServer, type RunningWebServer } from './web-server.ts'

const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'no-alive': { type: 'boolean', default: false },
    'memory-secrets': { type: 'boolean', default: false }
  }
})

// V8's compiled code kept on disk between runs (Node's compile cache, in the OS temp directory): every start
// after the first skips compiling the core, ws and zod again. The core is imported below, after this.
enableCompileCache()
limitHeapGrowth()

// Automation and tests only: run the app clock ahead of the wall clock (e.g. "the app started a week later").
const clockOffsetMs = Number(process.env.DMDESK_CLOCK_OFFSET_MS ?? 0) || 0

const dataDir = resolve(values['data-dir'] ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'dmdesk-web'))

/** The OS keychain when it answers; otherwise secrets live in memory for this run only, said out loud. */
async function secretStore(): Promise<SecretStore> {
  const { KeychainSecretStore, MemorySecretStore } = await import('../inbox/secrets/index.ts')
  if (values['memory-secrets']) return new MemorySecretStore()
  const keychain = new KeychainSecretStore()
  try {
    await keychain.names()
    return keychain
  } catch {
    console.error('dmdesk: the system keychain is not available; your API key will be kept in memory for this run only.')
    return new MemorySecretStore()
  }
}

// Filled in when the demo starts (at --demo, or when the user clicks "Try the demo").
const started: { demo: (DemoBackend & { account: string }) | null } = { demo: null }

/**
 * The core: loaded only now (its code, SQLite and the keychain are most of a cold start), opened on the
 * cache, then signed in with POSTPROXY_API_KEY or into the demo when asked.
 */
async function startCore(server: RunningWebServer): Promise<Inbox> {
  const { Inbox } = await import('../inbox/inbox.ts')
  const inbox = await Inbox.open({
    dataDir,
    secrets: await secretStore(),
    postproxyBaseUrl: process.env.POSTPROXY_BASE_URL,
    firstLookGraceMs: FIRST_LOOK_GRACE_MS,
    // Loaded only when the demo starts: the simulator and the relay are a third of the code, and a creator
    // with an API key should not wait for them at every start.
    startDemoBackend: async (dir) => {
      const { startDemoBackend } = await import('../demo/demo-backend.ts')
      return (started.demo = await startDemoBackend(dir, { alive: !values['no-alive'] }))
    },
    mediaUrl: (id) => `/media/${encodeURIComponent(id)}?token=${server.token}`,
    ...(clockOffsetMs !== 0 ? { now: () => Date.now() + clockOffsetMs } : {})
  })
  if (process.env.POSTPROXY_API_KEY) {
    const result = await inbox.api.signIn({ apiKey: process.env.POSTPROXY_API_KEY })
    if (!result.ok) console.error(`dmdesk: POSTPROXY_API_KEY was not accepted: ${result.error.message}`)
  } else if (values.demo && inbox.signedOut) {
    // --demo means "the demo unless a session exists": it never replaces a signed-in account.
    const result = await inbox.api.startDemo()
    if (!result.ok) console.error(`dmdesk: the demo could not start: ${result.error.message}`)
  }
  return inbox
}

function announce(server: RunningWebServer): void {
  const announcement: Record<string, string> = { url: server.url }
  if (started.demo) {
    announcement.simulatorUrl = started.demo.baseUrl
    announcement.simulatorApiKey = started.demo.apiKey
  }
  process.stdout.write(`${JSON.stringify(announcement)}\n`)
  console.error(`dmdesk web mode: open ${server.url}`)
}

/** The page is served first, so the browser loads the renderer while the core starts. */
async function startWebMode(): Promise<{ inbox: Inbox; server: RunningWebServer }> {
  let coreStarting!: (core: Promise<Inbox>) => void
  const core = new Promise<Inbox>((resolve) => (coreStarting = resolve))
  const server = await startWebServer({
    inbox: inboxWhenReady(core),
    rendererDir: join(import.meta.dirname, '../../out/renderer'),
    port: Number(values.port)
  })
  coreStarting(startCore(server))
  if (!values.demo) announce(server)
  const inbox = await core
  if (values.demo) announce(server)
  return { inbox, server }
}

/**
 * SIGTERM or Ctrl+C: the page's connections close, the outbox stops (every queued send is already in
 * SQLite), the demo's simulator and relay stop, the databases close cleanly, and the process exits, within
 * a second (see Inbox.close). A stop asked for while starting waits for the start to finish first; a second
 * signal exits at once.
 */
let stopping = false
async function stop(): Promise<void> {
  if (stopping) process.exit(1)
  stopping = true
  const running = await webMode.catch(() => null)
  if (running) {
    await running.server.close()
    await running.inbox.close({ quitting: true })
  }
  process.exit(0)
}

const webMode = startWebMode()
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
await webMode
