// Retention on a controllable clock: the age rule (7 days), the ack rule (every active device acked +
// 24 h), the per-channel caps (oldest first), acks themselves, and the `gap` frame a cursor older than
// what is retained gets.
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock, startHarness, type ManualClock, type RelayHarness } from './helpers/relay-harness.ts'
import { isWebhook, webhookData, type SseFrame } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const HOUR = 3600_000
const DAY = 24 * HOUR

async function ingest(count: number, channelUrl: string, size = 16): Promise<number[]> {
  const seqs: number[] = []
  for (let i = 0; i < count; i++) {
    const answer = await harness!.post(channelUrl, JSON.stringify({ i, pad: 'p'.repeat(size) }))
    expect(answer.status).toBe(200)
    seqs.push(answer.body.seq)
  }
  return seqs
}

const isGap = (frame: SseFrame) => frame.event === 'gap'
const isDelivery = (frame: SseFrame) => frame.event === 'webhook' || frame.event === 'gap'

async function storedCount(channelId: string): Promise<number> {
  return (await harness!.channelInfo(channelId)).stored_events
}

async function startWithClock(options: Parameters<typeof startHarness>[0] = {}): Promise<ManualClock> {
  const clock = manualClock()
  harness = await startHarness({ now: clock.now, ...options })
  return clock
}

describe('relay retention', () => {
  it('deletes events after the maximum age and tells an older cursor about the gap', async () => {
    const clock = await startWithClock()
    const channel = await harness!.createChannel()
    const device = await harness!.createDevice(channel.channel_id)
    const old = await ingest(3, channel.ingest_url)
    clock.advance(3 * DAY)
    const recent = await ingest(2, channel.ingest_url)

    clock.advance(4 * DAY - 1)
    expect(harness!.relay.sweep().deletedByAge).toBe(0)
    clock.advance(1)
    expect(harness!.relay.sweep()).toEqual({ deletedByAge: 0, deletedByAck: 0, deletedByCap: 0 }) // age must be *over* 7 days
    clock.advance(1)
    expect(harness!.relay.sweep().deletedByAge).toBe(3)
    expect(await storedCount(channel.channel_id)).toBe(2)

    // From the start: a gap (events after cursor 0 were deleted), then what is left, in order.
    const fromStart = await harness!.stream(channel.channel_id, device.token)
    const frames = await fromStart.collect(isDelivery, 3)
    expect(frames.map((frame) => frame.event)).toEqual(['gap', 'webhook', 'webhook'])
    expect(JSON.parse(frames[0].data)).toEqual({ after: 0, oldest: recent[0], reason: 'evicted' })
    expect(frames.slice(1).map((frame) => webhookData(frame).seq)).toEqual(recent)

    // A cursor inside the deleted range also gets the gap; a cursor at or past the last deleted event does not.
    const inside = await harness!.stream(channel.channel_id, device.token, { lastEventId: String(old[0]) })
    expect(JSON.parse((await inside.waitFor(isGap)).data)).toEqual({ after: old[0], oldest: recent[0], reason: 'evicted' })
    const current = await harness!.stream(channel.channel_id, device.token, { lastEventId: String(old[2]) })
    expect((await current.collect(isDelivery, 2)).map((frame) => frame.event)).toEqual(['webhook', 'webhook'])
  })

  it('deletes events 24 h after every active device acked them, not before', async () => {
    const clock = await startWithClock()
    const channel = await harness!.createChannel()
    const a = await harness!.createDevice(channel.channel_id)
    const b = await harness!.createDevice(channel.channel_id)
    const seqs = await ingest(4, channel.ingest_url)

    expect(await harness!.ack(channel.channel_id, a.token, seqs[3])).toBe(204)
    clock.advance(25 * HOUR)
    expect(harness!.relay.sweep().deletedByAck).toBe(0) // b has acked nothing

    expect(await harness!.ack(channel.channel_id, b.token, seqs[1])).toBe(204)
    clock.advance(24 * HOUR - 1)
    expect(harness!.relay.sweep().deletedByAck).toBe(0)
    clock.advance(1)
    expect(harness!.relay.sweep().deletedByAck).toBe(2)
    expect((await harness!.channelInfo(channel.channel_id)).oldest_seq).toBe(seqs[2])

    // Revoking b leaves a as the only active device: what a acked goes 24 h later.
    expect((await harness!.admin('DELETE', `/v1/channels/${channel.channel_id}/devices/${b.device_id}`)).status).toBe(204)
    clock.advance(24 * HOUR)
    expect(harness!.relay.sweep().deletedByAck).toBe(2)
    expect(await storedCount(channel.channel_id)).toBe(0)
  })

  it('does not hold events back for a device paired after them, and keeps events nobody is paired for', async () => {
    const clock = await startWithClock()
    const channel = await harness!.createChannel()
    const seqs = await ingest(2, channel.ingest_url)
    clock.advance(2 * DAY)
    expect(harness!.relay.sweep().deletedByAck).toBe(0) // no device: the ack rule does not apply

    const a = await harness!.createDevice(channel.channel_id)
    const late = await harness!.createDevice(channel.channel_id)
    const info = await harness!.channelInfo(channel.channel_id)
    expect(info.devices.map((device: { acked_seq: number }) => device.acked_seq)).toEqual([seqs[1], seqs[1]])
    // The late device still receives the backlog; it just does not pin it.
    const stream = await harness!.stream(channel.channel_id, late.token)
    expect((await stream.collect(isWebhook, 2)).map((frame) => webhookData(frame).seq)).toEqual(seqs)

    const more = await ingest(1, channel.ingest_url)
    expect(await harness!.ack(channel.channel_id, a.token, more[0])).toBe(204)
    expect(await harness!.ack(channel.channel_id, late.token, more[0])).toBe(204)
    clock.advance(24 * HOUR)
    expect(harness!.relay.sweep().deletedByAck).toBe(3)
  })

  it('validates acks, never moves them back, and never past the newest event', async () => {
    await startWithClock()
    const channel = await harness!.createChannel()
    const device = await harness!.createDevice(channel.channel_id)
    const seqs = await ingest(3, channel.ingest_url)
    const ackedSeq = async () => (await harness!.channelInfo(channel.channel_id)).devices[0].acked_seq

    expect(await harness!.ack(channel.channel_id, device.token, seqs[1])).toBe(204)
    expect(await ackedSeq()).toBe(seqs[1])
    expect(await harness!.ack(channel.channel_id, device.token, seqs[0])).toBe(204)
    expect(await ackedSeq()).toBe(seqs[1])
    expect(await harness!.ack(channel.channel_id, device.token, seqs[2] + 1000)).toBe(204)
    expect(await ackedSeq()).toBe(seqs[2])
    for (const bad of [-1, 1.5, '7', null]) expect(await harness!.ack(channel.channel_id, device.token, bad)).toBe(400)
  })

  it('caps each channel by event count, evicting the oldest first, and streams a gap over them', async () => {
    await startWithClock({ retention: { channelMaxEvents: 5 } })
    const channel = await harness!.createChannel()
    const other = await harness!.createChannel()
    const device = await harness!.createDevice(channel.channel_id)
    const seqs = await ingest(8, channel.ingest_url)
    await ingest(2, other.ingest_url)
    const info = await harness!.channelInfo(channel.channel_id)
    expect(info.stored_events).toBe(5)
    expect(info.oldest_seq).toBe(seqs[3])
    expect(info.evicted_through).toBe(seqs[2])
    expect(await storedCount(other.channel_id)).toBe(2)

    const stream = await harness!.stream(channel.channel_id, device.token)
    const frames = await stream.collect(isDelivery, 6)
    expect(JSON.parse(frames[0].data)).toEqual({ after: 0, oldest: seqs[3], reason: 'evicted' })
    expect(frames.slice(1).map((frame) => webhookData(frame).seq)).toEqual(seqs.slice(3))
  })

  it('caps each channel by stored bytes, evicting the oldest first', async () => {
    await startWithClock({ bodyLimitBytes: 2000, retention: { channelMaxBytes: 3500 } })
    const probe = await harness!.createChannel()
    await ingest(1, probe.ingest_url, 1000)
    const eventBytes = (await harness!.channelInfo(probe.channel_id)).stored_bytes // body + headers of one such event
    const fitting = Math.floor(3500 / eventBytes)
    expect(fitting).toBeGreaterThanOrEqual(2)

    const channel = await harness!.createChannel()
    const seqs = await ingest(6, channel.ingest_url, 1000)
    const info = await harness!.channelInfo(channel.channel_id)
    expect(info.stored_events).toBe(fitting)
    expect(info.stored_bytes).toBe(fitting * eventBytes)
    expect(info.oldest_seq).toBe(seqs[6 - fitting])
  })

  it('sweeps on its own timer', async () => {
    const clock = await startWithClock({ retention: { sweepIntervalMs: 20 } })
    const channel = await harness!.createChannel()
    await ingest(2, channel.ingest_url)
    clock.advance(8 * DAY)
    // No event announces a sweep: check the stored count, bounded in time.
    const deadline = Date.now() + 5000
    while ((await storedCount(channel.channel_id)) !== 0) {
      if (Date.now() > deadline) throw new Error('the periodic sweep did not delete the old events within 5 s')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect((await harness!.channelInfo(channel.channel_id)).evicted_through).toBeGreaterThan(0)
  })

  it('restarts a cursor from a future this relay never reached (restored backup) with a gap', async () => {
    await startWithClock()
    const channel = await harness!.createChannel()
    const device = await harness!.createDevice(channel.channel_id)
    const seqs = await ingest(2, channel.ingest_url)
    const stream = await harness!.stream(channel.channel_id, device.token, { lastEventId: '999999' })
    const frames = await stream.collect(isDelivery, 3)
    expect(JSON.parse(frames[0].data)).toEqual({ after: 999999, oldest: seqs[0], reason: 'cursor_ahead' })
    expect(frames.slice(1).map((frame) => webhookData(frame).seq)).toEqual(seqs)
  })
})
