// The tunnel stays up by itself: a relay killed with SIGKILL mid-burst, a proxy answering 502, a stream
// that goes silent without closing, OS resume; and it stops — only — when the relay refuses the device.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { FrameOutcome } from '../../../electron/inbox/tunnel/relay-client.ts'
import type { Message, WebhookDelivery } from '../../../shared/postproxy.ts'
import { spawnRelay, stopRelay, type RelayProcess } from '../relay/helpers/relay-process.ts'
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.ts'
import { ADMIN_TOKEN, manualClock, tunnelWorld, until, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
let proxy: FlakyProxy | undefined
const relays: RelayProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  await world?.close()
  await proxy?.close()
  for (const relay of relays.splice(0)) await stopRelay(relay)
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  world = undefined
  proxy = undefined
})

const appliedSeqs = (frames: FrameOutcome[]) => frames.filter((f) => f.result === 'applied').map((f) => f.seq as number)

/** A world whose desktop reaches the relay through a misbehaving proxy (the simulator posts to the relay directly). */
async function worldBehindProxy(): Promise<{ world: TunnelWorld; proxy: FlakyProxy }> {
  world = await tunnelWorld({ pair: false })
  proxy = await startFlakyProxy(world.relayUrl)
  await world.pair(proxy.url)
  return { world, proxy }
}

describe('tunnel resilience', () => {
  it('relay SIGKILLed mid-burst: every event it answered 2xx survives, seq continues, the client resumes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dmdesk-tunnel-relay-'))
    dirs.push(dataDir)
    const args = ['--data', dataDir, '--admin-token', ADMIN_TOKEN, '--no-rate-limit', '--heartbeat-ms', '250', '--quiet']
    const first = await spawnRelay([...args, '--port', '0'])
    relays.push(first)
    world = await tunnelWorld({ relayUrl: first.url })
    const { sim, store, client } = world
    const t = await world.startTunnel()
    await t.untilStatus('connected')

    const sent: Message[] = []
    let burstDone = false
    const burst = (async () => {
      for (let i = 0; i < 150; i++) {
        sent.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: `igsid_kill_${i % 10}`, body: `burst ${i}` }))
        await delay(8)
      }
      burstDone = true
    })()

    await until(t.tunnel, ['frame'], () => appliedSeqs(t.frames).length >= 40, 20_000, '40 events applied')
    expect(burstDone).toBe(false)
    first.child.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    await t.untilStatus('reconnecting')
    const second = await spawnRelay([...args, '--port', new URL(first.url).port])
    relays.push(second)
    await burst
    await sim.webhooks.idle()
    const head = await world.head()
    await t.untilCursor(head, 30_000)

    // Every delivery the relay answered 2xx is in the client's store (the simulator's delivery log is the witness).
    const webhookId = world.pairing.webhookKeys()[0].webhookId
    const deliveries: WebhookDelivery[] = []
    for (let page = 0; page < 20; page++) {
      const result = await client.listWebhookDeliveries(webhookId, { page, perPage: 100 })
      deliveries.push(...result.data)
      if (deliveries.length >= result.total || result.data.length === 0) break
    }
    const succeeded = new Set(deliveries.filter((d) => d.success).map((d) => d.event_id))
    expect(succeeded.size).toBe(150)
    for (const eventId of succeeded) expect(store.webhookEvents.isProcessed(eventId), eventId).toBe(true)
    for (const message of sent) expect(store.messages.getMessage(message.id)?.message.body).toBe(message.body)
    const seqs = appliedSeqs(t.frames)
    expect(seqs).toHaveLength(150)
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true)
    expect(t.tunnel.status.state).toBe('connected')
  }, 60_000)

  it('keeps retrying through a proxy answering 502, then recovers with nothing lost', async () => {
    const { world, proxy } = await worldBehindProxy()
    const t = await world.startTunnel()
    await t.untilStatus('connected')
    let badGateways = 0
    proxy.on('bad-gateway', () => badGateways++)

    proxy.setMode('bad-gateway')
    const sent: Message[] = []
    for (let i = 0; i < 20; i++) sent.push(world.sim.control.injectInbound(world.sim.account, world.sim.profileId, { participant_external_id: 'igsid_502', body: `during 502 ${i}` }))
    await until(proxy, ['bad-gateway'], () => badGateways >= 5, 15_000, 'five reconnect attempts answered 502')
    expect(t.tunnel.status).toMatchObject({ state: 'reconnecting' })
    const client = t.tunnel.relayClient!
    await until(client, ['state'], () => client.state.kind === 'waiting', 5000, 'a backoff wait')
    expect(client.state).toMatchObject({ kind: 'waiting', reason: 'the relay answered HTTP 502' })

    proxy.setMode('forward')
    await t.untilStatus('connected')
    await world.settle(t)
    for (const message of sent) expect(world.store.messages.getMessage(message.id)?.message.body).toBe(message.body)
    expect(t.statuses.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(5)
  })

  it('detects a stalled stream (no bytes, no close) with the watchdog, reconnects, and loses nothing', async () => {
    const { world, proxy } = await worldBehindProxy()
    const watchdogMs = 800
    const t = await world.startTunnel({ watchdogMs })
    await t.untilStatus('connected')

    proxy.setMode('blackhole')
    const stalledAt = performance.now()
    const sent: Message[] = []
    for (let i = 0; i < 10; i++) sent.push(world.sim.control.injectInbound(world.sim.account, world.sim.profileId, { participant_external_id: 'igsid_stall', body: `during stall ${i}` }))
    await world.sim.webhooks.idle()
    await until(t.tunnel, ['status'], () => t.tunnel.status.state === 'reconnecting', 10_000, 'the watchdog to notice')
    const detectedAfterMs = performance.now() - stalledAt
    expect(detectedAfterMs).toBeGreaterThanOrEqual(watchdogMs - 50)
    expect(detectedAfterMs).toBeLessThan(watchdogMs + 2000)
    expect(t.logs.some((line) => line.startsWith(`nothing arrived on the event stream for ${watchdogMs} ms`))).toBe(true)
    // Reconnects into the black hole are caught by the same watchdog.
    await until(proxy, ['connection'], () => proxy.connections.blackhole >= 2, 10_000, 'a second attempt into the stall')

    proxy.setMode('forward')
    await t.untilStatus('connected')
    await world.settle(t)
    for (const message of sent) expect(world.store.messages.getMessage(message.id)?.message.body).toBe(message.body)
  })

  it('a revoked device token: 401, the client stops and asks to pair again', async () => {
    world = await tunnelWorld()
    const streamRequests: string[] = []
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input).endsWith('/events')) streamRequests.push(String(input))
      return fetch(input, init)
    }
    const t = await world.startTunnel({ fetch: countingFetch })
    await t.untilStatus('connected')
    const record = world.pairing.current()!
    expect((await world.admin('DELETE', `/v1/channels/${record.channelId}/devices/${record.deviceId}`)).status).toBe(204)

    const status = await t.untilStatus('needs_pairing')
    expect(status.reason).toMatch(/no longer accepts this computer.*Pair with the relay again/)
    expect(t.tunnel.relayClient!.state).toMatchObject({ kind: 'refused', status: 401 })
    const attempts = streamRequests.length
    expect(attempts).toBe(2)
    // Absence of further attempts cannot be awaited as an event: give the loop several of its backoff
    // periods (20–200 ms here) to prove it stays stopped.
    await delay(600)
    expect(streamRequests.length).toBe(attempts)
  })

  it('reconnectNow (OS resume) skips a long backoff; a disconnect over a minute triggers a reconcile', async () => {
    const clock = manualClock()
    const { world, proxy } = await worldBehindProxy()
    const t = await world.startTunnel({ now: clock.now, delay: { minMs: 30_000, maxMs: 60_000 } })
    await t.untilStatus('connected')
    await until(t.tunnel, ['reconcile'], () => t.reconciles.includes('start'), 5000, 'the start reconcile')

    proxy.setMode('bad-gateway')
    const waiting = await t.untilStatus('reconnecting')
    await until(t.tunnel, ['status'], () => t.tunnel.relayClient!.state.kind === 'waiting', 5000, 'the backoff wait')
    const nextAttempt = Date.parse((t.tunnel.status as typeof waiting).nextAttemptAt)
    expect(nextAttempt - clock.now()).toBeGreaterThanOrEqual(30_000)

    proxy.setMode('forward')
    clock.advance(61_000)
    const resumedAt = performance.now()
    t.tunnel.reconnectNow()
    await t.untilStatus('connected')
    expect(performance.now() - resumedAt).toBeLessThan(5000)
    await until(t.tunnel, ['reconcile'], () => t.reconciles.includes('long disconnect'), 5000, 'a reconcile after the long disconnect')
  })
})
