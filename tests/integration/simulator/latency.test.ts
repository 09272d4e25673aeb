// The network round trip option (`latencyMs`, `--latency-ms`): every Postproxy request waits it out,
// errors included, and the rate limit counts a request when it arrives; the control API has none. And
// the server's own tally of each key's requests by status (`/_sim/state` → requests).
import { afterEach, describe, expect, it } from 'vitest'
import { startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator | null = null
afterEach(async () => {
  await t?.sim.close()
  t = null
})

async function elapsedMs(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await action()
  return performance.now() - started
}

describe('latencyMs', () => {
  it('holds every Postproxy answer for at least the round trip, a 429 and a 401 too', async () => {
    t = await startTestSimulator({ latencyMs: 300, rateLimit: { limit: 1, windowMs: 60_000 } })
    const api = t.api
    let statuses: number[] = []
    const took = await Promise.all([
      elapsedMs(async () => statuses.push((await api.get('/api/profiles')).status)),
      elapsedMs(async () => statuses.push((await api.get('/api/profiles')).status))
    ])
    statuses = statuses.sort()
    expect(statuses).toEqual([200, 429])
    for (const ms of took) expect(ms).toBeGreaterThanOrEqual(295)
    const unauthorized = await fetch(`${t.sim.url}/api/profiles`)
    expect(unauthorized.status).toBe(401)
    // The server's own count of what this key asked and how it answered (a 401 has no key to count for).
    expect((await api.get('/_sim/state')).body.requests).toEqual({ total: 2, by_status: { '200': 1, '429': 1 } })
  })

  it('leaves the control API alone: a test drives the world without waiting for the network', async () => {
    // A round trip no test could wait out: the control call answering at all shows it has none.
    t = await startTestSimulator({ latencyMs: 10 * 60_000 })
    const pending = fetch(`${t.sim.url}/api/profiles`, { headers: { authorization: `Bearer ${t.sim.apiKey}` } }).catch(() => null)
    const state = await t.api.get('/_sim/state')
    expect(state.status).toBe(200)
    void pending
  })
})
