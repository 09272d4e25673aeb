// The device's side: the event stream's frames, resume via Last-Event-ID and ?after=, heartbeats, and
// live events following the backlog without duplicates or holes while webhooks keep arriving.
import { afterEach, describe, expect, it } from 'vitest'
import { inParallel, startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { isWebhook, webhookData, type SseFrame } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

async function ingest(count: number, channelUrl: string, label = 'e'): Promise<number[]> {
  const seqs: number[] = []
  for (let i = 0; i < count; i++) {
    const answer = await harness!.post(channelUrl, `{"id":"${label}${i}"}`)
    expect(answer.status).toBe(200)
    seqs.push(answer.body.seq)
  }
  return seqs
}

const seqOf = (frame: SseFrame) => webhookData(frame).seq

describe('relay event stream', () => {
  it('opens with retry:, then sends each webhook as id/event/data with the seq as its id', async () => {
    harness = await startHarness({ retryMs: 2500 })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const [seq] = await ingest(1, channel.ingest_url)
    const stream = await harness.stream(channel.channel_id, device.token)
    expect(stream.headers['cache-control']).toBe('no-store')
    const frame = await stream.waitFor(isWebhook)
    expect(stream.frames[0]).toEqual({ event: 'message', data: '', id: null, retry: 2500 })
    expect(frame.id).toBe(String(seq))
    expect(Object.keys(JSON.parse(frame.data))).toEqual(['v', 'seq', 'channel', 'received_at', 'headers', 'body_b64', 'body_sha256'])
  })

  it('resumes after Last-Event-ID or ?after=, the header winning when both are given', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    // Three devices: a device has one stream at a time (a new one replaces the old).
    const [device, second, third] = [
      await harness.createDevice(channel.channel_id),
      await harness.createDevice(channel.channel_id),
      await harness.createDevice(channel.channel_id)
    ]
    const seqs = await ingest(5, channel.ingest_url)

    const byHeader = await harness.stream(channel.channel_id, device.token, { lastEventId: String(seqs[1]) })
    expect((await byHeader.collect(isWebhook, 3)).map(seqOf)).toEqual(seqs.slice(2))

    const byQuery = await harness.stream(channel.channel_id, second.token, { after: seqs[3] })
    expect((await byQuery.collect(isWebhook, 1)).map(seqOf)).toEqual([seqs[4]])

    const both = await harness.stream(channel.channel_id, third.token, { after: seqs[0], lastEventId: String(seqs[2]) })
    expect((await both.collect(isWebhook, 2)).map(seqOf)).toEqual(seqs.slice(3))

    // Nothing more arrives on any of them: one more webhook shows up once on each, right after.
    const [next] = await ingest(1, channel.ingest_url, 'late')
    for (const stream of [byHeader, byQuery, both]) {
      const frames = await stream.collect(isWebhook, stream === byHeader ? 4 : stream === byQuery ? 2 : 3)
      expect(seqOf(frames.at(-1)!)).toBe(next)
    }
    expect(byHeader.frames.filter(isWebhook).map(seqOf)).toEqual([...seqs.slice(2), next])

    const invalid = await harness.stream(channel.channel_id, device.token, { lastEventId: 'abc' })
    expect(invalid.status).toBe(400)
    expect((await harness.stream(channel.channel_id, device.token, { after: -1 })).status).toBe(400)
  })

  it('sends heartbeats with the channel head, without an id', async () => {
    harness = await startHarness({ heartbeatMs: 40 })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const emptyStream = await harness.stream(channel.channel_id, device.token)
    expect(JSON.parse((await emptyStream.waitFor((f) => f.event === 'heartbeat')).data)).toEqual({ head: 0 })

    const seqs = await ingest(2, channel.ingest_url)
    const stream = await harness.stream(channel.channel_id, device.token)
    const beats = await stream.collect((f) => f.event === 'heartbeat', 2)
    for (const beat of beats) {
      expect(JSON.parse(beat.data)).toEqual({ head: seqs[1] })
      expect(beat.id).toBeNull()
    }
  })

  it('pushes live events after the backlog, each once and in order, while webhooks keep arriving', async () => {
    harness = await startHarness({ rateLimit: false })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const total = 400
    let stream: Awaited<ReturnType<RelayHarness['stream']>> | undefined
    const seqs = await inParallel(
      Array.from({ length: total }, (_, i) => i),
      16,
      async (i) => {
        // Subscribe mid-burst: part of the events are backlog, part arrive live, some while the backlog is paged.
        if (i === 150) stream = await harness!.stream(channel.channel_id, device.token)
        const answer = await harness!.post(channel.ingest_url, `{"i":${i}}`)
        expect(answer.status).toBe(200)
        return answer.body.seq as number
      }
    )
    const received = (await stream!.collect(isWebhook, total)).map(webhookData)
    const sorted = [...seqs].sort((a, b) => a - b)
    expect(received.map((frame) => frame.seq)).toEqual(sorted)
    // The seq each sender was told is the seq its own body travels under.
    const bodyBySeq = new Map(received.map((frame) => [frame.seq, JSON.parse(Buffer.from(frame.body_b64, 'base64').toString()).i]))
    seqs.forEach((seq, i) => expect(bodyBySeq.get(seq)).toBe(i))
    // And nothing after them.
    const [extra] = await ingest(1, channel.ingest_url, 'extra')
    await stream!.collect(isWebhook, total + 1)
    expect(stream!.frames.filter(isWebhook).map(seqOf)).toEqual([...sorted, extra])
  })

  it('closes every stream on shutdown and refuses unknown paths and methods', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const stream = await harness.stream(channel.channel_id, device.token)
    await stream.waitFor((frame) => frame.retry !== null)
    expect(harness.relay.metrics().openStreams).toBe(1)
    expect((await fetch(`${harness.relay.url}/nope`)).status).toBe(404)
    const wrongMethod = await fetch(`${harness.relay.url}/v1/channels/${channel.channel_id}/events`, { method: 'DELETE' })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('GET')
    await harness.relay.close()
    await stream.ended
  })
})
