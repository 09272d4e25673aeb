// Issue #12.1 as the creator meets it, through InboxApi: with the relay working, pairing again with an
// address that cannot be reached or a wrong admin token answers in plain words, and changes nothing —
// the status still says connected (so polling stays a slow safety net, rightly) and a new message still
// arrives through the tunnel within seconds. Real simulator, real relay, real SQLite.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { InboxEventName, InboxEvents, InboxStatus } from '../../../shared/inbox-api.ts'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { startRelay, type RelayHandle } from '../../../relay/index.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'

const ADMIN_TOKEN = 'relay-pairing-test-admin-token-42'

let dir: string
let sim: RunningSimulator
let relay: RelayHandle
let inbox: Inbox | undefined

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-relay-pairing-'))
  sim = await startSimulator({ scenario: 'empty', seed: 7, retryDelayScale: 0.001 })
  relay = await startRelay({ adminToken: ADMIN_TOKEN, dataDir: join(dir, 'relay'), heartbeatMs: 250, retryMs: 100, rateLimit: false, synchronous: 'normal' })
})

afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  await sim.close()
  await relay.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The first pushed event `name` matching `match`, bounded in time. */
function nextEvent<K extends InboxEventName>(target: Inbox, name: K, match: (payload: InboxEvents[K]) => boolean, timeoutMs = 10_000): Promise<InboxEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${name} event within ${timeoutMs} ms`)), timeoutMs)
    const stop = target.on((n, payload) => {
      if ((n as InboxEventName) === name && match(payload as InboxEvents[K])) {
        clearTimeout(timer)
        stop()
        resolve(payload as InboxEvents[K])
      }
    })
  })
}

const tunnelConnected = (status: InboxStatus) => status.tunnel.state === 'connected'

it('a failed re-pair answers in plain words and leaves the working tunnel delivering', async () => {
  inbox = await Inbox.open({ dataDir: dir, secrets: new MemorySecretStore(), postproxyBaseUrl: sim.url, clientOptions: { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 1, requestRate: null } })
  const api = inbox.api
  expect(await api.signIn({ apiKey: sim.apiKey })).toMatchObject({ ok: true })
  const connected = nextEvent(inbox, 'status', tunnelConnected)
  expect(await api.pairRelay({ relayUrl: relay.url, adminToken: ADMIN_TOKEN })).toMatchObject({ ok: true })
  await connected
  const webhooksBefore = sim.webhooks.list(sim.account).map((w) => w.id)

  expect(await api.pairRelay({ relayUrl: 'http://127.0.0.1:1', adminToken: ADMIN_TOKEN })).toEqual({
    ok: false,
    error: {
      code: 'network',
      message: "dmdesk couldn't reach the relay at http://127.0.0.1:1. Check the address, and that the relay is running and reachable from this computer."
    }
  })
  expect(await api.pairRelay({ relayUrl: relay.url, adminToken: 'a-wrong-admin-token-for-sure' })).toEqual({
    ok: false,
    error: { code: 'invalid_argument', message: 'The relay refused the admin token. Check the token and try again.' }
  })
  const cleartext = await api.pairRelay({ relayUrl: 'http://relay.example.com', adminToken: ADMIN_TOKEN })
  // The schema's own check speaks to the creator: its sentence alone, no "Invalid arguments for…" prefix.
  expect(cleartext).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringMatching(/^The relay address must start with https:\/\//) } })

  expect(sim.webhooks.list(sim.account).map((w) => w.id)).toEqual(webhooksBefore)
  const status = await api.getStatus()
  expect(status.ok && status.value.tunnel).toEqual({ state: 'connected', signatureFailures: 0 })

  const arrived = nextEvent(inbox, 'inbound-message', (event) => event.preview === 'still reaching you')
  sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_after_repair', body: 'still reaching you' })
  await arrived
})
