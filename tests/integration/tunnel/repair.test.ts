// Pairing again is a switch-over (issue #12.1): the new channel, device and webhook are built while the
// working tunnel keeps delivering; a failure on the way (a relay that cannot be reached, a wrong admin token,
// an address dmdesk refuses) leaves the working pairing, its webhook and its status exactly as they were.
// And relay addresses are https, or http to this computer only (#12.6). Real relay, simulator and SQLite.
import { afterEach, describe, expect, it } from 'vitest'
import { INBOX_EVENT_TYPES } from '../../../shared/postproxy.ts'
import { isLoopbackHostname } from '../../../shared/relay-address.ts'
import type { TunnelStatus } from '../../../shared/inbox-api.ts'
import { RelayAdminError } from '../../../electron/inbox/tunnel/relay-admin.ts'
import { inboxErrorFromTunnel } from '../../../electron/inbox/tunnel/tunnel-errors.ts'
import { TunnelPairing } from '../../../electron/inbox/tunnel/pairing.ts'
import type { PostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { rejectionOf } from '../../unit/postproxy/client-harness.ts'
import { ADMIN_TOKEN, tunnelWorld, until, type TestTunnel, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

/** fetch for loopback only: any other host is recorded and refused without touching the network. */
function loopbackOnlyFetch(refused: string[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (!isLoopbackHostname(url.hostname)) {
      refused.push(url.href)
      throw new TypeError(`test fetch refuses ${url.host}`)
    }
    return fetch(input, init)
  }
}

/** Injects an inbound DM and resolves once the tunnel has stored it (the world's reconcile is a no-op, so only the tunnel can). */
async function deliveredThroughTunnel(world: TunnelWorld, t: TestTunnel, body: string): Promise<string> {
  const message = world.sim.control.injectInbound(world.sim.account, world.sim.profileId, { participant_external_id: 'igsid_repair', body })
  await until(t.tunnel, ['frame'], () => t.store.messages.getMessage(message.id) !== null, 10_000, `"${body}" through the tunnel`)
  return message.id
}

async function snapshot(world: TunnelWorld) {
  return {
    pairing: world.pairing.current(),
    keys: world.pairing.webhookKeys(),
    secrets: await world.secrets.names(),
    webhooks: world.sim.webhooks.list(world.sim.account).map((w) => ({ id: w.id, url: w.url, events: [...w.events] }))
  }
}

describe('a failed re-pair changes nothing', () => {
  it('an unreachable relay, a wrong admin token or an http address elsewhere: plain words, the old pairing intact, delivery goes on', async () => {
    world = await tunnelWorld()
    const refusedHosts: string[] = []
    const t = await world.startTunnel({ fetch: loopbackOnlyFetch(refusedHosts) })
    await t.untilStatus('connected')
    await deliveredThroughTunnel(world, t, 'before any re-pair')
    const before = await snapshot(world)
    const statusesBefore = t.statuses.length

    const unreachable = await rejectionOf(t.tunnel.pair({ relayUrl: 'http://127.0.0.1:1', adminToken: ADMIN_TOKEN }))
    expect(unreachable).toBeInstanceOf(RelayAdminError)
    expect(unreachable).toMatchObject({ problem: 'unreachable' })
    expect((unreachable as RelayAdminError).userMessage).toBe(
      "dmdesk couldn't reach the relay at http://127.0.0.1:1. Check the address, and that the relay is running and reachable from this computer."
    )
    expect(inboxErrorFromTunnel(unreachable)).toEqual({ code: 'network', message: (unreachable as RelayAdminError).userMessage })

    const wrongToken = await rejectionOf(t.tunnel.pair({ relayUrl: world.relayUrl, adminToken: 'not-the-admin-token-at-all' }))
    expect(wrongToken).toMatchObject({ problem: 'refused_token', status: 401 })
    expect(inboxErrorFromTunnel(wrongToken)).toEqual({ code: 'invalid_argument', message: 'The relay refused the admin token. Check the token and try again.' })

    const cleartext = await rejectionOf(t.tunnel.pair({ relayUrl: 'http://relay.example.com', adminToken: ADMIN_TOKEN }))
    expect(cleartext).toMatchObject({ problem: 'bad_address' })
    expect(inboxErrorFromTunnel(cleartext)?.message).toMatch(/^The relay address must start with https:\/\//)
    expect(refusedHosts).toEqual([])

    expect(await snapshot(world)).toEqual(before)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 0 })
    expect(t.statuses.slice(statusesBefore)).toEqual([])
    const started = Date.now()
    const id = await deliveredThroughTunnel(world, t, 'after the failed re-pairs')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(t.store.messages.getMessage(id)!.message.body).toBe('after the failed re-pairs')
  })

  it('a Postproxy failure while creating the new webhook rolls back the new channel and keeps the old pairing', async () => {
    world = await tunnelWorld()
    const t = await world.startTunnel()
    await t.untilStatus('connected')
    const before = await snapshot(world)

    world.sim.faults.add({ kind: 'server_error', count: 20, status: 500 })
    await expect(t.tunnel.pair({ relayUrl: world.relayUrl, adminToken: ADMIN_TOKEN })).rejects.toMatchObject({ kind: 'server' })
    world.sim.faults.clear()

    expect(await snapshot(world)).toEqual(before)
    expect(t.tunnel.status.state).toBe('connected')
    await deliveredThroughTunnel(world, t, 'still here')
  })
})

describe('a successful re-pair switches over', () => {
  it('builds the new webhook before deleting the old one, revokes the old device, keeps only the new secrets, and delivers through the new channel', async () => {
    world = await tunnelWorld()
    const calls: string[] = []
    const base = world.client
    const recordingClient: Pick<PostproxyClient, 'getChat' | 'createWebhook' | 'deleteWebhook' | 'getWebhook'> = {
      getChat: (...args) => base.getChat(...args),
      getWebhook: (...args) => base.getWebhook(...args),
      createWebhook: async (...args) => {
        const created = await base.createWebhook(...args)
        calls.push(`create ${created.id}`)
        return created
      },
      deleteWebhook: async (id, options) => {
        calls.push(`delete ${id}`)
        return base.deleteWebhook(id, options)
      }
    }
    const t = await world.startTunnel({ client: recordingClient })
    await t.untilStatus('connected')
    await deliveredThroughTunnel(world, t, 'on the old channel')
    const old = await snapshot(world)
    const oldToken = (await world.secrets.get(`relay-device-token:${old.pairing!.deviceId}`))!

    const record = await t.tunnel.pair({ relayUrl: world.relayUrl, adminToken: ADMIN_TOKEN })

    const now = await snapshot(world)
    expect(record.channelId).not.toBe(old.pairing!.channelId)
    expect(now.pairing).toEqual(record)
    expect(now.webhooks).toHaveLength(1)
    const [webhook] = now.webhooks
    expect(webhook.id).not.toBe(old.webhooks[0].id)
    expect(webhook.events.sort()).toEqual([...INBOX_EVENT_TYPES].sort())
    expect(calls).toEqual([`create ${webhook.id}`, `delete ${old.webhooks[0].id}`])
    expect(now.keys).toEqual([{ webhookId: webhook.id, retireAt: null, webhookDeleted: false }])
    expect(now.secrets).toEqual([`relay-device-token:${record.deviceId}`, `webhook-secret:${webhook.id}`].sort())
    const refused = await fetch(`${world.relayUrl}/v1/channels/${old.pairing!.channelId}/events`, { headers: { authorization: `Bearer ${oldToken}` } })
    expect(refused.status).toBe(401)
    await refused.body?.cancel()

    await t.untilStatus('connected')
    await deliveredThroughTunnel(world, t, 'on the new channel')
    expect(t.store.webhookEvents.cursor()).toBe((await world.admin('GET', `/v1/channels/${record.channelId}`)).body.head)
  })

  it('an old webhook that cannot be deleted yet stays listed as retired, so it is deleted later', async () => {
    world = await tunnelWorld()
    const base = world.client
    let deletesRefused = 1
    const flakyDelete: Pick<PostproxyClient, 'getChat' | 'createWebhook' | 'deleteWebhook' | 'getWebhook'> = {
      getChat: (...args) => base.getChat(...args),
      getWebhook: (...args) => base.getWebhook(...args),
      createWebhook: (...args) => base.createWebhook(...args),
      deleteWebhook: async (id, options) => {
        if (deletesRefused-- > 0) throw new Error('Postproxy is down for a moment')
        return base.deleteWebhook(id, options)
      }
    }
    const t = await world.startTunnel({ client: flakyDelete })
    const oldWebhookId = world.pairing.webhookKeys()[0].webhookId

    const record = await t.tunnel.pair({ relayUrl: world.relayUrl, adminToken: ADMIN_TOKEN })

    const keys = world.pairing.webhookKeys()
    expect(keys).toHaveLength(2)
    expect(keys[1]).toMatchObject({ webhookId: oldWebhookId, webhookDeleted: false })
    expect(Date.parse(keys[1].retireAt!)).toBeLessThanOrEqual(Date.now())
    expect(t.logs.some((line) => line.includes(`old Postproxy webhook ${oldWebhookId} could not be deleted yet`))).toBe(true)
    expect(world.pairing.current()).toEqual(record)

    const retired = await world.pairing.retireExpired()
    expect(retired.webhooksDeleted).toEqual([oldWebhookId])
    expect(world.sim.webhooks.list(world.sim.account).map((w) => w.id)).toEqual([keys[0].webhookId])
  })
})

describe('relay addresses (#12.6)', () => {
  it('pairing refuses http:// to another machine before anything leaves this computer', async () => {
    world = await tunnelWorld({ pair: false })
    const refusedHosts: string[] = []
    const pairing = new TunnelPairing({ store: world.store, secrets: world.secrets, client: world.client, fetch: loopbackOnlyFetch(refusedHosts) })
    for (const relayUrl of ['http://relay.example.com', 'http://192.168.1.20:8080', 'http://127.0.0.1.example.com', 'ftp://relay.example.com']) {
      const error = await rejectionOf(pairing.pair({ relayUrl, adminToken: ADMIN_TOKEN }))
      expect(error).toMatchObject({ problem: 'bad_address', status: null })
    }
    expect(refusedHosts).toEqual([])
    expect(world.sim.webhooks.list(world.sim.account)).toEqual([])
    expect(await world.secrets.names()).toEqual([])
  })

  it('a pairing kept from before the rule, to http:// elsewhere, is not used: the status asks to pair again', async () => {
    world = await tunnelWorld()
    const record = world.pairing.current()!
    world.store.settings.set('tunnel.pairing', { ...record, relayUrl: 'http://relay.example.com' })
    const refusedHosts: string[] = []

    const t = await world.startTunnel({ fetch: loopbackOnlyFetch(refusedHosts) })

    const status = t.tunnel.status as Extract<TunnelStatus, { state: 'needs_pairing' }>
    expect(status.state).toBe('needs_pairing')
    expect(status.reason).toMatch(/must start with https:\/\/.*Pair with the relay again/)
    expect(refusedHosts).toEqual([])
  })
})
