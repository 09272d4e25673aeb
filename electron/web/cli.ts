// npm run web -- [--demo] [--port 0] [--data-dir DIR]
// Runs the inbox core and serves the renderer in web mode. The first stdout line is one JSON object:
// {"url": "...", "simulatorUrl": "..."} (simulatorUrl, and the simulator's own key, in demo mode only).
// POSTPROXY_BASE_URL and POSTPROXY_API_KEY point it at another backend (tests, automation).
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Inbox, type DemoBackend } from '../inbox/inbox.ts'
import { KeychainSecretStore, MemorySecretStore, type SecretStore } from '../inbox/secrets/index.ts'
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

const dataDir = resolve(values['data-dir'] ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'dmdesk-web'))

/** The OS keychain when it answers; otherwise secrets live in memory for this run only, said out loud. */
async function secretStore(): Promise<SecretStore> {
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

async function startWebMode(): Promise<{ inbox: Inbox; server: RunningWebServer }> {
  const inbox = await Inbox.open({
    dataDir,
    secrets: await secretStore(),
    postproxyBaseUrl: process.env.POSTPROXY_BASE_URL,
    // Loaded only when the demo starts: the simulator and the relay are a third of the code, and a creator
    // with an API key should not wait for them at every start.
    startDemoBackend: async (dir) => {
      const { startDemoBackend } = await import('../demo/demo-backend.ts')
      return (started.demo = await startDemoBackend(dir, { alive: !values['no-alive'] }))
    },
    mediaUrl: (id) => `/media/${encodeURIComponent(id)}?token=${server.token}`
  })
  const server = await startWebServer({
    inbox: { invoke: (name, args) => inbox.invoke(name, args), on: (listener) => inbox.on(listener), mediaFile: (id) => inbox.mediaFile(id) },
    rendererDir: join(import.meta.dirname, '../../out/renderer'),
    port: Number(values.port)
  })

  if (process.env.POSTPROXY_API_KEY) {
    const result = await inbox.api.signIn({ apiKey: process.env.POSTPROXY_API_KEY })
    if (!result.ok) console.error(`dmdesk: POSTPROXY_API_KEY was not accepted: ${result.error.message}`)
  } else if (values.demo && inbox.signedOut) {
    // --demo means "the demo unless a session exists": it never replaces a signed-in account.
    const result = await inbox.api.startDemo()
    if (!result.ok) console.error(`dmdesk: the demo could not start: ${result.error.message}`)
  }

  const announcement: Record<string, string> = { url: server.url }
  if (started.demo) {
    // The simulator's own key (not a Postproxy key): tests use it to drive the demo's control API.
    announcement.simulatorUrl = started.demo.baseUrl
    announcement.simulatorApiKey = started.demo.apiKey
  }
  process.stdout.write(`${JSON.stringify(announcement)}\n`)
  console.error(`dmdesk web mode: open ${server.url}`)
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
