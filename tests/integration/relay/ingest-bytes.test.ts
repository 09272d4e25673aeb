// The ingest byte rate (#12.12): a burst of large webhooks must not flush a channel's stored events out
// through its per-channel cap. With the default limits, 1,400 stored events survive a burst of 150 × 1 MiB
// (which alone is over the 100 MiB cap): the channel takes a 16 MiB burst, then 1 MiB/s, and answers the rest
// 429 + Retry-After so the sender retries later.
import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveRelayConfig } from '../../../relay/options.ts'
import { inParallel, manualClock, startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { floodChunkedBody } from './helpers/raw-http.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const MIB = 1024 * 1024

/**
 * POSTs on a connection of its own. A relay that refuses before reading may reset the connection while
 * the body is still being written; the sender sees that as a failed delivery (status 0), as Postproxy would.
 */
function postOnNewConnection(url: string, body: Buffer): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }))
      response.on('error', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }))
    })
    request.on('error', () => resolve({ status: 0, retryAfter: undefined }))
    request.end(body)
  })
}

describe('relay ingest byte rate', () => {
  it('defaults to 1 MiB/s with a 16 MiB burst per channel', () => {
    const { rateLimit } = resolveRelayConfig()
    expect(rateLimit).toMatchObject({ bytesPerSecond: MIB, burstBytes: 16 * MIB })
  })

  it('keeps 1,400 stored events through a burst of 150 × 1 MiB webhooks, refusing the excess with 429 + Retry-After', { timeout: 120_000 }, async () => {
    const clock = manualClock()
    harness = await startHarness({ now: clock.now })
    const channel = await harness.createChannel()
    const small = await inParallel(Array.from({ length: 1400 }, (_, i) => i), 32, async (i) => {
      // The webhook count limit (1,000 at once, 100/s) is not what this test is about: let it refill.
      if (i % 500 === 499) clock.advance(10_000)
      const answer = await harness!.post(channel.ingest_url, JSON.stringify({ id: `evt_${i}`, text: 'a DM' }))
      return answer.status
    })
    expect(small.filter((status) => status === 200)).toHaveLength(1400)
    clock.advance(20_000)

    const big = Buffer.alloc(MIB, 0x61)
    const burst = await inParallel(Array.from({ length: 150 }, (_, i) => i), 16, () => postOnNewConnection(channel.ingest_url, big))
    const accepted = burst.filter((answer) => answer.status === 200).length
    expect(accepted).toBeGreaterThan(0)
    expect(accepted).toBeLessThanOrEqual(16)
    for (const answer of burst.filter((a) => a.status === 429)) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1)
    // The relay answered the refused ones before reading their bodies: most senders got the 429 itself.
    expect(burst.filter((answer) => answer.status === 429).length).toBeGreaterThan(0)

    const info = await harness.channelInfo(channel.channel_id)
    expect(info.evicted_through).toBe(0)
    expect(info.stored_events).toBe(1400 + accepted)

    // A small webhook now still waits for the bucket (the sender retries); a second later it is in.
    const waiting = await harness.post(channel.ingest_url, '{"id":"after-the-burst"}')
    expect(waiting.status === 200 || waiting.status === 429).toBe(true)
    clock.advance(2_000)
    expect((await harness.post(channel.ingest_url, '{"id":"later"}')).status).toBe(200)
  })

  it('charges a chunked body of undeclared size once it has arrived', { timeout: 30_000 }, async () => {
    const clock = manualClock()
    harness = await startHarness({ now: clock.now, rateLimit: { bytesPerSecond: 64 * 1024, burstBytes: MIB } })
    const channel = await harness.createChannel()
    const path = new URL(channel.ingest_url).pathname
    const head = `POST ${path} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
    const first = await floodChunkedBody(channel.ingest_url, head, 768 * 1024)
    expect(first.response?.status).toBe(200)
    const second = await floodChunkedBody(channel.ingest_url, head, 768 * 1024)
    expect(second.response?.status).toBe(429)
    expect(Number(/\r\nretry-after: (\d+)/i.exec(second.response!.head)?.[1])).toBeGreaterThanOrEqual(1)
    expect((await harness.channelInfo(channel.channel_id)).stored_events).toBe(1)
  })
})
