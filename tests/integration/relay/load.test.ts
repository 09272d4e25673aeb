// The relay under load: 1,000 concurrent webhooks (all stored, unique increasing seq, each streamed once
// in order), a slow reader of a 10,000-event backlog (paced by socket backpressure, nothing lost), and a
// reader that stops reading altogether (its stream is closed after the stall timeout).
import { afterEach, describe, expect, it } from 'vitest'
import { inParallel, startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { isWebhook, webhookData } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/** Resolves once `condition` holds, checking every `everyMs`; fails after `timeoutMs` (for server-side state with no event to await). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

describe('relay under load', () => {
  it('stores 1,000 concurrent webhooks with unique increasing seqs and streams each once, in order', { timeout: 60_000 }, async () => {
    harness = await startHarness({ rateLimit: false })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const total = 1000
    // fetch opens as many connections as there are requests in flight: 1,000 truly concurrent POSTs.
    const answers = await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const response = await fetch(channel.ingest_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `evt_${i}` }) })
        return { status: response.status, body: (await response.json()) as { seq: number } }
      })
    )
    expect(answers.map((answer) => answer.status)).toEqual(Array(total).fill(200))
    const seqs = answers.map((answer) => answer.body.seq)
    expect(new Set(seqs).size).toBe(total)
    expect((await harness.channelInfo(channel.channel_id)).stored_events).toBe(total)

    const stream = await harness.stream(channel.channel_id, device.token)
    const frames = (await stream.collect(isWebhook, total, 30_000)).map(webhookData)
    const streamed = frames.map((frame) => frame.seq)
    expect(streamed).toEqual([...seqs].sort((a, b) => a - b))
    for (let i = 1; i < streamed.length; i++) expect(streamed[i]).toBeGreaterThan(streamed[i - 1])
    const idBySeq = new Map(frames.map((frame) => [frame.seq, JSON.parse(Buffer.from(frame.body_b64, 'base64').toString()).id]))
    seqs.forEach((seq, i) => expect(idBySeq.get(seq)).toBe(`evt_${i}`))
  })

  it('pages a 10,000-event backlog to a slow reader at its pace, all in order', { timeout: 120_000 }, async () => {
    harness = await startHarness({ rateLimit: false })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const total = 10_000
    const pad = 'x'.repeat(1500) // ~20 MB of frames: far more than the socket buffers hold
    const seqs = await inParallel(Array.from({ length: total }, (_, i) => i), 64, async (i) => {
      const answer = await harness!.post(channel.ingest_url, JSON.stringify({ i, pad }))
      expect(answer.status).toBe(200)
      return answer.body.seq as number
    })

    // The reader stalls first: the relay must stop writing and wait for 'drain' rather than buffer the backlog.
    let pauses = 0
    let sincePause = 0
    const stream = await harness.stream(channel.channel_id, device.token, {
      paused: true,
      // Then it reads slowly: it rests after every 128 KB it takes.
      onChunk: (bytes) => {
        sincePause += bytes
        if (sincePause < 128 * 1024) return
        sincePause = 0
        pauses += 1
        return new Promise((resolve) => setTimeout(resolve, 5))
      }
    })
    await eventually(() => harness!.relay.metrics().backpressureWaits > 0, 'the relay waiting for the stalled reader')
    stream.resume()
    const frames = await stream.collect(isWebhook, total, 100_000)
    expect(frames.map((frame) => webhookData(frame).seq)).toEqual([...seqs].sort((a, b) => a - b))
    expect(pauses).toBeGreaterThan(100)
    expect(harness.relay.metrics().backpressureWaits).toBeGreaterThan(1)
    expect(harness.relay.metrics().stalledStreamsClosed).toBe(0)
  })

  it('closes a stream whose reader stops reading for the stall timeout; the device resumes where it was', { timeout: 60_000 }, async () => {
    harness = await startHarness({ rateLimit: false, stalledStreamTimeoutMs: 300 })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const pad = 'y'.repeat(4000)
    const seqs = await inParallel(Array.from({ length: 3000 }, (_, i) => i), 64, async (i) => {
      const answer = await harness!.post(channel.ingest_url, JSON.stringify({ i, pad }))
      expect(answer.status).toBe(200)
      return answer.body.seq as number
    })
    const stalled = await harness.stream(channel.channel_id, device.token, { paused: true })
    await eventually(() => harness!.relay.metrics().stalledStreamsClosed === 1, 'closing the stalled stream')
    await eventually(() => harness!.relay.metrics().openStreams === 0, 'the stream leaving the hub')
    stalled.close()

    // Resume like a desktop does, from the last id it got: with a 300 ms stall timeout, a test process
    // paused that long by a busy machine is cut again, and must lose nothing either.
    const received: number[] = []
    for (let attempt = 0; attempt < 20 && received.length < 3000; attempt++) {
      const resumed = await harness.stream(channel.channel_id, device.token, { after: received.at(-1) ?? 0 })
      await Promise.race([resumed.collect(isWebhook, 3000 - received.length, 30_000).catch(() => undefined), resumed.ended])
      resumed.close()
      received.push(...resumed.frames.filter(isWebhook).map((frame) => webhookData(frame).seq))
    }
    expect(received).toEqual([...seqs].sort((a, b) => a - b))
  })
})
