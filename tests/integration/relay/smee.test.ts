// The opt-in smee.io-compatible stream: smee's frames (ready, default message events with headers +
// parsed body, ping), live-only like smee.io, reachable only with a valid device token.
import { afterEach, describe, expect, it } from 'vitest'
import { startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { openSse } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('smee-compatible stream', () => {
  it('is off unless enabled', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const stream = await openSse(`${harness.relay.url}/smee/${device.token}`)
    expect(stream.status).toBe(404)
  })

  it('speaks smee.io’s format, live only, and refuses unknown or revoked tokens', async () => {
    harness = await startHarness({ smeeStream: true, heartbeatMs: 50 })
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    await harness.post(channel.ingest_url, '{"before":"connect"}')

    const stream = await openSse(`${harness.relay.url}/smee/${device.token}`)
    expect(stream.status).toBe(200)
    await stream.waitFor((frame) => frame.event === 'ready')
    expect(stream.frames[0]).toMatchObject({ event: 'ready', data: '{}' })

    const raw = '{\n  "id": "evt_9",\n  "type": "message.received",\n  "data": {"text": "caf\\u00e9"}\n}'
    const answer = await harness.post(channel.ingest_url, raw, { 'x-postproxy-event': 'message.received', 'x-postproxy-signature': 't=1,v1=00' })
    const message = await stream.waitFor((frame) => frame.event === 'message')
    expect(message.id).toBe(String(answer.body.seq))
    const data = JSON.parse(message.data)
    expect(data['x-postproxy-event']).toBe('message.received')
    expect(data['x-postproxy-signature']).toBe('t=1,v1=00')
    expect(data.body).toEqual({ id: 'evt_9', type: 'message.received', data: { text: 'café' } })
    expect(data.query).toEqual({})
    expect(typeof data.timestamp).toBe('number')
    // What smee-client forwards is JSON.stringify(body): not the signed bytes (why RELAY.md rejects smee).
    expect(JSON.stringify(data.body)).not.toBe(raw)
    // Live only: the event from before the connection never shows up.
    expect(stream.frames.filter((frame) => frame.event === 'message')).toHaveLength(1)
    await stream.waitFor((frame) => frame.event === 'ping')

    expect((await openSse(`${harness.relay.url}/smee/rdv_unknown`)).status).toBe(404)
    await harness.admin('DELETE', `/v1/channels/${channel.channel_id}/devices/${device.device_id}`)
    await stream.ended
    expect((await openSse(`${harness.relay.url}/smee/${device.token}`)).status).toBe(404)
  })
})
