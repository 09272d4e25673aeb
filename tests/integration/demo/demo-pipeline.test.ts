// Demo mode runs the real pipeline: simulator -> signed webhook -> relay -> SSE -> verify -> SQLite
// -> InboxEvents. With the tunnel connected polling is a 15-minute safety net, so a message that
// shows up within seconds came through the tunnel.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { InboxEventName, InboxEvents, InboxStatus } from '../../../shared/inbox-api.ts'
import { startDemoBackend } from '../../../electron/demo/demo-backend.ts'
import { Inbox, type DemoBackend } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'

let dir: string
let inbox: Inbox | undefined
let demo: DemoBackend | undefined
const secrets = new MemorySecretStore()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-demo-'))
})
afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  rmSync(dir, { recursive: true, force: true })
})

async function openDemo(): Promise<Inbox> {
  inbox = await Inbox.open({ dataDir: dir, secrets, startDemoBackend: async (d) => (demo = await startDemoBackend(d, { alive: false })) })
  return inbox
}

function waitFor<K extends InboxEventName>(target: Inbox, name: K, match: (payload: InboxEvents[K]) => boolean, timeoutMs = 20_000): Promise<InboxEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${name} event in ${timeoutMs} ms`)), timeoutMs)
    const stop = target.on((n, payload) => {
      if ((n as InboxEventName) === name && match(payload as InboxEvents[K])) {
        clearTimeout(timer)
        stop()
        resolve(payload as InboxEvents[K])
      }
    })
  })
}

const tunnelUp = (s: InboxStatus) => s.tunnel.state === 'connected' && s.sync.lastSyncedAt !== null

/** Resolves once the status (now, or pushed later) has the tunnel connected after a sync. */
async function untilTunnelUp(target: Inbox): Promise<void> {
  const pushed = waitFor(target, 'status', tunnelUp)
  const now = await target.api.getStatus()
  if (now.ok && tunnelUp(now.value)) return
  await pushed
}

async function injectInbound(body: string): Promise<string> {
  const response = await fetch(`${demo!.baseUrl}/_sim/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo!.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ participant_external_id: 'igsid_demo_fan', participant_username: 'demo_fan', body })
  })
  expect(response.status).toBeLessThan(300)
  const payload = (await response.json()) as { message?: { id: string }; id?: string }
  return payload.message?.id ?? payload.id!
}

it('delivers an inbound demo message through the relay tunnel, and again after a restart', async () => {
  const first = await openDemo()
  expect(await first.api.startDemo()).toMatchObject({ ok: true, value: { state: 'signed_in', mode: 'demo' } })
  await untilTunnelUp(first)

  const arrived = waitFor(first, 'inbound-message', (e) => e.preview === 'Hi from the tunnel')
  const started = Date.now()
  const id = await injectInbound('Hi from the tunnel')
  const event = await arrived
  expect(event).toMatchObject({ messageId: id, participant: { username: 'demo_fan' } })
  expect(Date.now() - started).toBeLessThan(10_000)
  const status = await first.api.getStatus()
  expect(status.ok && status.value.tunnel).toMatchObject({ state: 'connected', signatureFailures: 0 })

  // A restart brings the demo back (new loopback ports), re-pairs, and the pipeline still works.
  await first.close()
  inbox = undefined
  const second = await openDemo()
  await untilTunnelUp(second)
  const again = waitFor(second, 'inbound-message', (e) => e.preview === 'Still here after a restart')
  await injectInbound('Still here after a restart')
  expect((await again).participant.username).toBe('demo_fan')
  const session = await second.api.getSession()
  expect(session).toMatchObject({ ok: true, value: { state: 'signed_in', mode: 'demo' } })
}, 60_000)
