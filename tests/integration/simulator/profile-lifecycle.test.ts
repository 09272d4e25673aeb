// Profiles that change while the app runs, over real HTTP: a profile expires or is disconnected (the
// simulator's choice for Postproxy's undocumented behaviour: reads keep working, whatever has to reach
// the platform answers 422 naming the platform and the profile, a send already accepted fails with
// Meta's expired-token error), is reconnected, or a new profile is connected; each emits
// profile.disconnected / profile.connected with the SDKs' ProfileEventData.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChatPageSchema, MessageSchema, ProfileListSchema, ProfileSchema, type Profile } from '../../../shared/postproxy.ts'
import { EXPIRED_TOKEN_ERROR } from '../../../simulator/profile-connections.ts'
import { chatWithInbound, expectNotFound, expectValidationError, parses, recordEmitted, startTestSimulator, WebhookReceiver, type TestSimulator } from './helpers.ts'

const PROFILE_EVENT_KEYS = ['id', 'name', 'platform', 'profile_group_id', 'status', 'uid', 'username']
const DAY_MS = 24 * 60 * 60 * 1000

let t: TestSimulator

beforeEach(async () => {
  t = await startTestSimulator({ scenario: 'demo' })
})
afterEach(async () => {
  await t.sim.close()
})

async function profile(id = t.sim.profileId): Promise<Profile> {
  return parses(ProfileSchema, (await t.api.get(`/api/profiles/${id}`)).body)
}

describe('a profile that expires', () => {
  it('reads expired with expires_at and emits profile.disconnected with the SDK’s ProfileEventData', async () => {
    const emitted = recordEmitted(t.sim)
    const before = t.sim.clock.now()
    const expired = await t.api.post(`/_sim/profiles/${t.sim.profileId}/expire`)
    expect(expired.status).toBe(200)
    const read = parses(ProfileSchema, expired.body)
    expect(read).toMatchObject({ id: t.sim.profileId, status: 'expired' })
    expect(Date.parse(read.expires_at!)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(read.expires_at!)).toBeLessThanOrEqual(t.sim.clock.now())
    expect(await profile()).toMatchObject({ status: 'expired' })
    expect(emitted.map((event) => event.type)).toEqual(['profile.disconnected'])
    const data = emitted[0].data
    expect(Object.keys(data).sort()).toEqual(PROFILE_EVENT_KEYS)
    expect(data).toMatchObject({ id: t.sim.profileId, platform: 'instagram', status: 'expired', name: 'Clay & Tide Studio', username: 'clayandtide.studio' })
    expect(data.uid).toMatch(/^17841\d{10}$/)
    // Already disconnected: no second event.
    await t.api.post(`/_sim/profiles/${t.sim.profileId}/expire`, { at: '2026-01-01T00:00:00Z' })
    expect(emitted).toHaveLength(1)
    expect((await profile()).expires_at).toBe('2026-01-01T00:00:00.000Z')
  })

  it('keeps reads working; every call that reaches Instagram answers 422 naming the platform and the profile', async () => {
    const chats = parses(ChatPageSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}/chats?per_page=100`)).body).data
    const open = chats.find((chat) => chat.last_inbound_at && Date.now() - Date.parse(chat.last_inbound_at) < 12 * 60 * 60 * 1000)!
    const messages = (await t.api.get(`/api/chats/${open.id}/messages`)).body.data
    const inbound = messages.find((message: { direction: string }) => message.direction === 'inbound')
    const post = (await t.api.get('/api/posts?per_page=1')).body.data[0]
    const comment = (await t.api.get(`/api/posts/${post.id}/comments?profile_id=${t.sim.profileId}`)).body.data[0]
    await t.api.post(`/_sim/profiles/${t.sim.profileId}/expire`)

    expect((await t.api.get(`/api/profiles/${t.sim.profileId}/chats`)).status).toBe(200)
    expect((await t.api.get(`/api/chats/${open.id}/messages`)).status).toBe(200)
    expect((await t.api.get(`/api/posts/${post.id}/comments?profile_id=${t.sim.profileId}`)).status).toBe(200)
    expect((await t.api.get(`/api/profiles/${t.sim.profileId}/ice_breakers`)).status).toBe(200)

    const sentence = new RegExp(`^The Instagram connection of "Clay & Tide Studio" \\(${t.sim.profileId}\\) expired at .+; reconnect the profile in Postproxy to`)
    const refused = [
      await t.api.post(`/api/chats/${open.id}/messages`, { body: 'Hello?' }),
      await t.api.post(`/api/messages/${inbound.id}/react`),
      await t.api.delete(`/api/messages/${inbound.id}/unreact`),
      await t.api.post(`/api/posts/${post.id}/comments/${comment.id}/private_reply?profile_id=${t.sim.profileId}`, { text: 'Hi!' }),
      await t.api.post(`/api/posts/${post.id}/comments?profile_id=${t.sim.profileId}`, { text: 'Thanks!' }),
      await t.api.post(`/api/posts/${post.id}/comments/${comment.id}/hide?profile_id=${t.sim.profileId}`),
      await t.api.request('PUT', `/api/profiles/${t.sim.profileId}/ice_breakers`, { json: { ice_breakers: [{ question: 'Hours?', payload: 'H' }] } })
    ]
    for (const response of refused) expectValidationError(response, sentence)
    expectValidationError(await t.api.post(`/api/chats/${open.id}/messages`, { body: 'Hello?' }), /reconnect the profile in Postproxy to send messages\.$/)
    // Nothing reaches Postproxy from the platform either.
    expectValidationError(await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_x', body: 'hi' }), /to receive messages\.$/)
    // Ids still resolve: an unknown one is still a 404.
    expectNotFound(await t.api.post('/api/chats/chat_unknown/messages', { body: 'Hello?' }))
  })

  it('fails a send accepted before the connection broke with Meta’s expired-token error (#190)', async () => {
    const { chat } = await chatWithInbound(t.api, 'igsid_pending')
    const emitted = recordEmitted(t.sim)
    const sent = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'On its way' })
    expect(sent.status).toBe(202)
    await t.api.post(`/_sim/profiles/${t.sim.profileId}/expire`)
    t.sim.clock.advance(60_000)
    const failed = parses(MessageSchema, (await t.api.get(`/api/messages/${sent.body.id}`)).body)
    expect(failed).toMatchObject({ status: 'failed', error_message: EXPIRED_TOKEN_ERROR })
    expect(failed.error_details).toMatchObject({ platform_error_code: 190 })
    expect(emitted.map((event) => event.type)).toEqual(['profile.disconnected', 'message.failed'])
  })
})

describe('a profile that is disconnected, then reconnected', () => {
  it('reads inactive, then active with a fresh expiry; sends work again; webhooks are delivered signed', async () => {
    const receiver = new WebhookReceiver()
    await receiver.start()
    try {
      await t.api.post('/api/webhooks', { url: receiver.url, events: ['profile.connected', 'profile.disconnected'] })
      const { chat } = await chatWithInbound(t.api, 'igsid_back')
      const disconnected = await t.api.post(`/_sim/profiles/${t.sim.profileId}/disconnect`)
      expect(parses(ProfileSchema, disconnected.body)).toMatchObject({ status: 'inactive' })
      expectValidationError(await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'x' }), 'is disconnected; reconnect the profile in Postproxy to send messages.')

      const before = t.sim.clock.now()
      const reconnected = parses(ProfileSchema, (await t.api.post(`/_sim/profiles/${t.sim.profileId}/reconnect`)).body)
      expect(reconnected.status).toBe('active')
      // Instagram's long-lived token: 60 days from now.
      expect(Date.parse(reconnected.expires_at!) - 60 * DAY_MS).toBeGreaterThanOrEqual(before)
      expect(Date.parse(reconnected.expires_at!) - 60 * DAY_MS).toBeLessThanOrEqual(t.sim.clock.now())
      const sent = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'Back!' })
      expect(sent.status).toBe(202)
      t.sim.clock.advance(60_000)
      expect((await t.api.get(`/api/messages/${sent.body.id}`)).body.status).toBe('published')

      await receiver.waitFor(2)
      const events = receiver.received.map((delivery) => ({ header: delivery.headers['x-postproxy-event'], body: JSON.parse(delivery.rawBody) }))
      expect(events.map((event) => event.header).sort()).toEqual(['profile.connected', 'profile.disconnected'])
      for (const event of events) {
        expect(event.body.type).toBe(event.header)
        expect(Object.keys(event.body.data).sort()).toEqual(PROFILE_EVENT_KEYS)
        expect(event.body.data.id).toBe(t.sim.profileId)
      }
      expect(receiver.received.every((delivery) => /^t=\d+,v1=[0-9a-f]{64}$/.test(String(delivery.headers['x-postproxy-signature'])))).toBe(true)
    } finally {
      await receiver.close()
    }
  })

  it('answers 404 for an unknown or another key’s profile', async () => {
    expectNotFound(await t.api.post('/_sim/profiles/prof_unknown/expire'))
    const other = t.sim.createAccount()
    expectNotFound(await t.api.post(`/_sim/profiles/${other.profileId}/disconnect`))
    expectValidationError(await t.api.post(`/_sim/profiles/${t.sim.profileId}/expire`, { at: 'soon' }), 'At must be an ISO 8601 timestamp.')
  })
})

describe('a profile added at run time', () => {
  it('joins the account’s group (one profile per platform per group), is listed, and emits profile.connected', async () => {
    const emitted = recordEmitted(t.sim)
    const group = (await profile()).profile_group_id
    const added = await t.api.post('/_sim/profiles', { platform: 'facebook', name: 'Clay & Tide Studio', username: 'clayandtidestudio' })
    expect(added.status).toBe(201)
    const page = parses(ProfileSchema, added.body)
    expect(page).toMatchObject({ platform: 'facebook', status: 'active', profile_group_id: group, name: 'Clay & Tide Studio', post_count: 0 })
    expect(page.external_id).toMatch(/^10\d{13}$/)
    const listed = parses(ProfileListSchema, (await t.api.get('/api/profiles')).body).data
    expect(listed.map((p) => p.id)).toEqual([t.sim.profileId, page.id])
    expect(emitted).toEqual([{ type: 'profile.connected', data: expect.objectContaining({ id: page.id, platform: 'facebook', status: 'active', username: 'clayandtidestudio' }) }])
    expect((await t.api.get(`/api/profiles/${page.id}/chats`)).body).toMatchObject({ total: 0, data: [] })
    const injected = await t.api.post('/_sim/inbound', { profile_id: page.id, participant_external_id: '7000000000000001', body: 'Hi page' })
    expect(injected.body.chat).toMatchObject({ profile_id: page.id, platform: 'facebook' })

    // A second Instagram account goes to a new group; naming a group that has one is refused.
    const second = parses(ProfileSchema, (await t.api.post('/_sim/profiles', { platform: 'instagram', username: 'tide.clayschool' })).body)
    expect(second.profile_group_id).not.toBe(group)
    expect(second.name).toBe('@tide.clayschool')
    expectValidationError(
      await t.api.post('/_sim/profiles', { platform: 'instagram', profile_group_id: group }),
      `Profile group ${group} already holds Instagram profile ${t.sim.profileId}; a profile group holds at most one profile per platform.`
    )
    expectValidationError(await t.api.post('/_sim/profiles', { platform: 'myspace' }), /^Platform must be one of facebook, instagram, tiktok/)
    expectValidationError(await t.api.post('/_sim/profiles', {}), "Platform can't be blank")
    expectValidationError(await t.api.post('/_sim/profiles', { platform: 'tiktok', profile_group_id: 'pg_nope' }), 'Profile group id pg_nope is not a profile group of this account.')
  })
})
