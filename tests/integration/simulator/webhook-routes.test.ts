// The /api/webhooks routes over HTTP: status codes, shapes and scoping. (Signing, retries and the
// delivery schedule are the dispatcher's, tested with it.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listSchema, pageSchema, WebhookDeliverySchema, WebhookSchema } from '../../../shared/postproxy.ts'
import { expectNotFound, expectValidationError, parses, SimClient, startTestSimulator, WebhookReceiver, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let receiver: WebhookReceiver

beforeEach(async () => {
  t = await startTestSimulator()
  receiver = new WebhookReceiver()
  await receiver.start()
})
afterEach(async () => {
  await t.sim.close()
  await receiver.close()
})

describe('/api/webhooks', () => {
  it('creates (201, with secret), lists, gets, updates, pages deliveries and deletes', async () => {
    const created = await t.api.post('/api/webhooks', { url: receiver.url, events: ['*'], description: 'inbox', extra: 'ignored' })
    expect(created.status).toBe(201)
    const webhook = parses(WebhookSchema, created.body)
    expect(webhook).toMatchObject({ url: receiver.url, events: ['*'], description: 'inbox' })
    expect(webhook.secret).toMatch(/^whsec_/)

    const list = parses(listSchema(WebhookSchema), (await t.api.get('/api/webhooks')).body)
    expect(list.data.map((w) => w.id)).toEqual([webhook.id])
    expect(parses(WebhookSchema, (await t.api.get(`/api/webhooks/${webhook.id}`)).body).id).toBe(webhook.id)

    await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_w', body: 'hello' })
    await receiver.waitFor(1)
    await t.sim.webhooks.idle()
    const deliveries = parses(pageSchema(WebhookDeliverySchema), (await t.api.get(`/api/webhooks/${webhook.id}/deliveries`)).body)
    expect(deliveries).toMatchObject({ total: 1, page: 0, per_page: 20 })
    expect(deliveries.data[0]).toMatchObject({ event_type: 'message.received', success: true, response_status: 200, attempt_number: 1 })

    const patched = await t.api.patch(`/api/webhooks/${webhook.id}`, { enabled: false, description: 'paused' })
    expect(patched.status).toBe(200)
    expect(parses(WebhookSchema, patched.body)).toMatchObject({ enabled: false, description: 'paused' })

    const removed = await t.api.delete(`/api/webhooks/${webhook.id}`)
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({ deleted: true })
    expectNotFound(await t.api.delete(`/api/webhooks/${webhook.id}`))
    expectNotFound(await t.api.get(`/api/webhooks/${webhook.id}`))
    expectNotFound(await t.api.get(`/api/webhooks/${webhook.id}/deliveries`))
    expectNotFound(await t.api.patch(`/api/webhooks/${webhook.id}`, { enabled: true }))
  })

  it('reports the dispatcher’s validation as 422 {"errors":[…]}', async () => {
    expectValidationError(await t.api.post('/api/webhooks', { events: ['*'] }), /url/)
    expectValidationError(await t.api.post('/api/webhooks', { url: 'ftp://example.com', events: ['*'] }), /url/)
  })

  it('scopes webhooks per key', async () => {
    const webhook = (await t.api.post('/api/webhooks', { url: receiver.url, events: ['*'] })).body
    const other = new SimClient(t.sim.url, t.sim.createAccount().apiKey)
    expect((await other.get('/api/webhooks')).body).toEqual({ data: [] })
    expectNotFound(await other.get(`/api/webhooks/${webhook.id}`))
    expectNotFound(await other.delete(`/api/webhooks/${webhook.id}`))
  })
})
