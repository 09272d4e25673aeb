// What event streams may cost (#12.7): one stream per device (a reconnecting device replaces its old
// stream, which is closed), a cap per channel (429 + Retry-After) and one for the relay (503 + Retry-After),
// and a stalled reader cut after the stall timeout (30 s by default).
import { afterEach, describe, expect, it } from 'vitest'
import { resolveRelayConfig } from '../../../relay/options.ts'
import { startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { isWebhook, webhookData, type SseConnection } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('relay event stream limits', () => {
  it('keeps one stream per device: each new stream of the device closes the one before', { timeout: 60_000 }, async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const streams: SseConnection[] = []
    for (let i = 0; i < 50; i++) {
      const stream = await harness.stream(channel.channel_id, device.token)
      expect(stream.status).toBe(200)
      streams.push(stream)
    }
    // Every replaced stream was ended by the relay (not by this test).
    await Promise.all(streams.slice(0, -1).map((stream) => stream.ended))
    expect(harness.relay.metrics().openStreams).toBe(1)

    const latest = streams[streams.length - 1]
    const answer = await harness.post(channel.ingest_url, '{"id":"after-the-reconnects"}')
    expect(webhookData(await latest.waitFor(isWebhook)).seq).toBe(answer.body.seq)
    expect(latest.isEnded()).toBe(false)
    for (const old of streams.slice(0, -1)) expect(old.frames.filter(isWebhook)).toEqual([])
  })

  it('refuses a stream over the per-channel cap with 429 and Retry-After; other channels are not affected', async () => {
    harness = await startHarness({ maxStreamsPerChannel: 2 })
    const channel = await harness.createChannel()
    const devices = [await harness.createDevice(channel.channel_id), await harness.createDevice(channel.channel_id), await harness.createDevice(channel.channel_id)]
    expect((await harness.stream(channel.channel_id, devices[0].token)).status).toBe(200)
    expect((await harness.stream(channel.channel_id, devices[1].token)).status).toBe(200)
    const refused = await harness.stream(channel.channel_id, devices[2].token)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(JSON.parse(refused.errorBody).error).toMatch(/already has 2 open event streams/)
    // A device at the cap may still reconnect: its new stream replaces its own.
    expect((await harness.stream(channel.channel_id, devices[1].token)).status).toBe(200)

    const other = await harness.createChannel()
    const otherDevice = await harness.createDevice(other.channel_id)
    expect((await harness.stream(other.channel_id, otherDevice.token)).status).toBe(200)
    expect(harness.relay.metrics().openStreams).toBe(3)
  })

  it('refuses a stream over the relay-wide cap with 503 and Retry-After, and admits one once a stream ends', async () => {
    harness = await startHarness({ maxStreams: 2 })
    const channels = [await harness.createChannel(), await harness.createChannel(), await harness.createChannel()]
    const devices = await Promise.all(channels.map((channel) => harness!.createDevice(channel.channel_id)))
    const first = await harness.stream(channels[0].channel_id, devices[0].token)
    expect((await harness.stream(channels[1].channel_id, devices[1].token)).status).toBe(200)
    const refused = await harness.stream(channels[2].channel_id, devices[2].token)
    expect(refused.status).toBe(503)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(JSON.parse(refused.errorBody).error).toMatch(/as many event streams as it allows \(2\)/)

    await harness.admin('DELETE', `/v1/channels/${channels[0].channel_id}/devices/${devices[0].device_id}`)
    await first.ended
    expect((await harness.stream(channels[2].channel_id, devices[2].token)).status).toBe(200)
  })

  it('cuts a stalled reader after 30 s by default', () => {
    expect(resolveRelayConfig().stalledStreamTimeoutMs).toBe(30_000)
    expect(resolveRelayConfig().maxStreamsPerChannel).toBe(10)
    expect(resolveRelayConfig().maxStreams).toBe(256)
  })
})
