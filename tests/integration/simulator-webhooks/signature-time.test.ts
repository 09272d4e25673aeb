// The signature's `t` is wall-clock time (POSTPROXY.md §9: receivers compare it with their own clock),
// also after the simulator's clock has been moved forward; the envelope's created_at and the delivery
// log keep following the simulated clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebhookSchema } from '../../../shared/postproxy.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { within } from './harness.ts'
import { startLoopbackReceiver, type LoopbackReceiver } from './loopback-receiver.ts'
import { parseSignatureHeader, signatureVerifies } from './verify-signature.ts'

const DAY_MS = 24 * 60 * 60 * 1000

let sim: RunningSimulator
let receiver: LoopbackReceiver

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'empty', retryDelayScale: 0.0001 })
  receiver = await startLoopbackReceiver()
})
afterEach(async () => {
  await sim.close()
  await receiver.close()
})

async function call(method: string, path: string, json?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json)
  })
  // Wire JSON: the assertions check it.
  return { status: response.status, body: (await response.json()) as any }
}

describe('X-Postproxy-Signature t', () => {
  it('stays on the wall clock after the simulated clock moved three days on; created_at follows the simulated clock', async () => {
    const webhook = WebhookSchema.parse((await call('POST', '/api/webhooks', { url: receiver.url, events: ['*'] })).body)
    expect((await call('POST', '/_sim/clock/advance', { ms: 3 * DAY_MS })).status).toBe(200)

    const wallBefore = Math.floor(Date.now() / 1000)
    await call('POST', '/_sim/inbound', { participant_external_id: 'igsid_1', body: 'Hello from the future' })
    const [request] = await receiver.waitForRequests(1)
    const wallAfter = Math.ceil(Date.now() / 1000)
    await within(sim.webhooks.idle(), 5000, 'idle')

    const header = String(request.headers['x-postproxy-signature'])
    const t = Number(parseSignatureHeader(header).t)
    expect(t).toBeGreaterThanOrEqual(wallBefore - 1)
    expect(t).toBeLessThanOrEqual(wallAfter)
    expect(signatureVerifies(webhook.secret!, header, request.rawBody)).toBe(true)

    const envelope = JSON.parse(request.rawBody.toString('utf8'))
    const createdAt = Date.parse(envelope.created_at)
    expect(createdAt - t * 1000).toBeGreaterThan(3 * DAY_MS - 60_000)
    expect(Math.abs(createdAt - sim.clock.now())).toBeLessThan(60_000)

    const deliveries = (await call('GET', `/api/webhooks/${webhook.id}/deliveries`)).body
    expect(Date.parse(deliveries.data[0].attempted_at) - t * 1000).toBeGreaterThan(3 * DAY_MS - 60_000)
  })
})
