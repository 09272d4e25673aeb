// A malformed Postproxy payload becomes a typed error: nothing crashes and nothing is written.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { createPostproxyClient, PostproxyError } from '../../../electron/inbox/postproxy/index.ts'
import { InboxSync } from '../../../electron/inbox/sync/inbox-sync.ts'
import { cacheView, syncWorld, type SyncWorld } from './sync-fixtures.ts'

let world: SyncWorld | undefined
let proxy: Server | undefined
afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(null)))
  proxy = undefined
  await world?.close()
  world = undefined
})

/** Forwards to the simulator, letting `corrupt` rewrite JSON bodies of chosen responses. */
async function corruptingProxy(target: string, corrupt: (path: string, body: Record<string, unknown>) => unknown): Promise<string> {
  proxy = createServer(async (req, res) => {
    const upstream = await fetch(new URL(req.url!, target), { method: req.method, headers: { authorization: req.headers.authorization ?? '' } })
    const text = await upstream.text()
    let body: unknown = text
    try {
      body = corrupt(req.url!, JSON.parse(text))
    } catch {
      // not JSON: pass through
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' })
    res.end(typeof body === 'string' ? body : JSON.stringify(body))
  })
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(proxy!.address() as AddressInfo).port}`
}

it.each([
  ['a message without its id', (page: Record<string, unknown>) => ({ ...page, data: (page.data as Record<string, unknown>[]).map((m, i) => (i === 1 ? { ...m, id: undefined } : m)) })],
  ['a message with an unknown direction', (page: Record<string, unknown>) => ({ ...page, data: (page.data as Record<string, unknown>[]).map((m) => ({ ...m, direction: 'sideways' })) })],
  ['a page that is not a page', () => ({ messages: [] })],
  ['an HTML answer with status 200', () => '<html>maintenance</html>']
])('rejects %s and writes nothing', async (_name, corrupt) => {
  world = await syncWorld({ scenario: 'demo', seed: 7 })
  const { sim, store } = world
  const good = new InboxSync({ client: world.client, store, profileId: sim.profileId })
  await good.sync()
  const before = cacheView(store, sim.profileId, 100)

  // New messages arrive; the sync that fetches them receives a corrupted message page.
  sim.clock.advance(1_000)
  const chat = sim.control.listChats(sim.account, sim.profileId)[0]
  sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: chat.participant_external_id, body: 'hello' })
  sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: chat.participant_external_id, body: 'are you there?' })
  const url = await corruptingProxy(sim.url, (path, body) => (path.includes('/messages') ? corrupt(body) : body))
  const client = createPostproxyClient({ baseUrl: url, apiKey: sim.apiKey, maxRetries: 0 })
  const bad = new InboxSync({ client, store, profileId: sim.profileId })

  const error = await bad.sync().catch((e: unknown) => e)
  expect(error).toBeInstanceOf(PostproxyError)
  expect((error as PostproxyError).kind).toBe('malformed_response')
  expect(cacheView(store, sim.profileId, 100)).toEqual(before.map((c) => (c.id === chat.id ? { ...c, last_message_at: expect.any(String), last_inbound_at: expect.any(String) } : c)))
  expect(store.messages.threadPage(chat.id, { limit: 5 }).messages.map((m) => m.message.body)).not.toContain('are you there?')
  expect(store.integrityCheck()).toEqual(['ok'])

  // Once Postproxy answers properly again, the same sync converges.
  await good.sync()
  expect(store.messages.threadPage(chat.id, { limit: 2 }).messages.map((m) => m.message.body).sort()).toEqual(['are you there?', 'hello'])
})
