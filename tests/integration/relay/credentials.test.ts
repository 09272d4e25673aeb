// Channels, devices and the three credentials of RELAY.md: who may call what, what a refusal looks
// like, revocation and rotation taking effect at once, and tokens never stored in the clear.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startRelay } from '../../../relay/index.ts'
import { ADMIN_TOKEN, manualClock, startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { isWebhook, openSse } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const randomPart = (token: string) => Buffer.from(token.slice(token.indexOf('_') + 1), 'base64url')

describe('relay credentials', () => {
  it('answers /healthz without credentials', async () => {
    harness = await startHarness()
    const response = await fetch(`${harness.relay.url}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('creates a channel only with the admin token, with a random ingest token in its URL', async () => {
    harness = await startHarness()
    expect((await harness.admin('POST', '/v1/channels', undefined, 'not-the-admin-token-xx')).status).toBe(401)
    const anonymous = await fetch(`${harness.relay.url}/v1/channels`, { method: 'POST' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')

    const created = await harness.admin('POST', '/v1/channels')
    expect(created.status).toBe(201)
    const { channel_id, ingest_url, ingest_token } = created.body
    expect(channel_id).toMatch(/^ch_/)
    expect(ingest_url).toBe(`${harness.relay.url}/h/${ingest_token}`)
    expect(randomPart(ingest_token).length).toBeGreaterThanOrEqual(16)

    const second = await harness.createChannel()
    expect(second.ingest_token).not.toBe(ingest_token)
    expect(second.channel_id).not.toBe(channel_id)
  })

  it('builds ingest and events URLs on the public URL when one is configured', async () => {
    harness = await startHarness({ publicUrl: 'https://relay.example.com/base/' })
    const channel = await harness.createChannel()
    expect(channel.ingest_url).toBe(`https://relay.example.com/base/h/${channel.ingest_token}`)
    const device = await harness.admin('POST', `/v1/channels/${channel.channel_id}/devices`)
    expect(device.body.events_url).toBe(`https://relay.example.com/base/v1/channels/${channel.channel_id}/events`)
  })

  it('refuses a stream with no, an unknown, an ingest or the admin token (401) and a device of another channel (403)', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const other = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    expect(randomPart(device.token).length).toBeGreaterThanOrEqual(16)
    const eventsUrl = (ch: string) => `${harness!.relay.url}/v1/channels/${ch}/events`

    const cases: Array<[string | undefined, string, number]> = [
      [undefined, channel.channel_id, 401],
      ['rdv_unknown-token-aaaaaaaaaaaaaaaaaaaaaaaa', channel.channel_id, 401],
      [channel.ingest_token, channel.channel_id, 401],
      [ADMIN_TOKEN, channel.channel_id, 401],
      [device.token, other.channel_id, 403]
    ]
    for (const [token, ch, status] of cases) {
      const stream = await openSse(eventsUrl(ch), { token })
      expect(stream.status, `token ${token?.slice(0, 8)} on ${ch}`).toBe(status)
      await stream.ended
      expect(JSON.parse(stream.errorBody).error).toEqual(expect.any(String))
    }
    expect(await harness.ack(other.channel_id, device.token, 0)).toBe(403)
    expect(await harness.ack(channel.channel_id, channel.ingest_token, 0)).toBe(401)

    const ok = await openSse(eventsUrl(channel.channel_id), { token: device.token })
    expect(ok.status).toBe(200)
    expect(ok.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    ok.close()
  })

  it('refuses a revoked device token from then on and ends its open stream', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const keep = await harness.createDevice(channel.channel_id)
    const revoke = await harness.createDevice(channel.channel_id)
    const open = await harness.stream(channel.channel_id, revoke.token)
    const kept = await harness.stream(channel.channel_id, keep.token)
    expect(open.status).toBe(200)

    expect((await harness.admin('DELETE', `/v1/channels/${channel.channel_id}/devices/${revoke.device_id}`, undefined, 'wrong-admin-token-xxxxx')).status).toBe(401)
    const revoked = await harness.admin('DELETE', `/v1/channels/${channel.channel_id}/devices/${revoke.device_id}`)
    expect(revoked.status).toBe(204)
    await open.ended

    const again = await harness.stream(channel.channel_id, revoke.token)
    expect(again.status).toBe(401)
    expect(await harness.ack(channel.channel_id, revoke.token, 0)).toBe(401)
    expect((await harness.admin('DELETE', `/v1/channels/${channel.channel_id}/devices/dev_nope`)).status).toBe(404)

    // The other device is untouched and still receives events.
    expect(kept.isEnded()).toBe(false)
    await harness.post(channel.ingest_url, '{"still":"here"}')
    await kept.waitFor(isWebhook)
  })

  it('stores ingest and device tokens only as SHA-256 digests', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    await harness.relay.close() // checkpoints the WAL into the database file
    const bytes = readFileSync(join(harness.dataDir, 'relay.sqlite'))
    for (const token of [channel.ingest_token, device.token]) {
      expect(bytes.includes(Buffer.from(token))).toBe(false)
      expect(bytes.includes(createHash('sha256').update(token).digest())).toBe(true)
    }
  })

  it('rotates the ingest URL: the old one is refused at once, or after a grace period', async () => {
    const clock = manualClock()
    harness = await startHarness({ now: clock.now })
    const channel = await harness.createChannel()
    expect((await harness.admin('POST', `/v1/channels/${channel.channel_id}/rotate-ingest`, {}, 'wrong-admin-token-xxxxx')).status).toBe(401)

    const rotated = await harness.admin('POST', `/v1/channels/${channel.channel_id}/rotate-ingest`)
    expect(rotated.status).toBe(200)
    expect(rotated.body.previous_valid_until).toBeNull()
    expect((await harness.post(channel.ingest_url, '{}')).status).toBe(404)
    expect((await harness.post(rotated.body.ingest_url, '{}')).status).toBe(200)

    const graceful = await harness.admin('POST', `/v1/channels/${channel.channel_id}/rotate-ingest`, { grace_seconds: 60 })
    expect(graceful.body.previous_valid_until).toBe(new Date(clock.now() + 60_000).toISOString())
    expect((await harness.post(rotated.body.ingest_url, '{}')).status).toBe(200)
    expect((await harness.post(graceful.body.ingest_url, '{}')).status).toBe(200)
    clock.advance(60_000)
    expect((await harness.post(rotated.body.ingest_url, '{}')).status).toBe(404)
    expect((await harness.post(graceful.body.ingest_url, '{}')).status).toBe(200)
    expect((await harness.channelInfo(channel.channel_id)).stored_events).toBe(4)

    expect((await harness.admin('POST', `/v1/channels/${channel.channel_id}/rotate-ingest`, { grace_seconds: -1 })).status).toBe(400)
    expect((await harness.admin('POST', '/v1/channels/ch_nope/rotate-ingest')).status).toBe(404)
  })

  it('deletes a channel with its events and devices', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    await harness.post(channel.ingest_url, '{"a":1}')
    const open = await harness.stream(channel.channel_id, device.token)
    expect((await harness.admin('DELETE', `/v1/channels/${channel.channel_id}`)).status).toBe(204)
    await open.ended
    expect((await harness.post(channel.ingest_url, '{}')).status).toBe(404)
    expect((await harness.stream(channel.channel_id, device.token)).status).toBe(401)
    expect((await harness.admin('GET', `/v1/channels/${channel.channel_id}`)).status).toBe(404)
  })

  it('answers Meta’s subscription check only with the channel’s verify token', async () => {
    harness = await startHarness()
    const withToken = await harness.createChannel({ meta_verify_token: 'meta-verify-secret' })
    const without = await harness.createChannel()
    const check = (channel: { ingest_url: string }, token: string) =>
      fetch(`${channel.ingest_url}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`)

    const ok = await check(withToken, 'meta-verify-secret')
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await ok.text()).toBe('1158201444')
    expect((await check(withToken, 'wrong')).status).toBe(403)
    expect((await check(without, 'meta-verify-secret')).status).toBe(403)
    expect((await fetch(withToken.ingest_url)).status).toBe(405)
    expect((await check({ ingest_url: `${harness.relay.url}/h/rin_unknown` }, 'x')).status).toBe(404)
  })

  it('refuses a second relay on the same data directory, and an admin token that is too short', async () => {
    harness = await startHarness()
    await expect(startRelay({ dataDir: harness.dataDir })).rejects.toThrow(/Another relay is already using the database/)
    await expect(startRelay({ adminToken: 'short' })).rejects.toThrow(/at least 16 characters/)
  })
})
