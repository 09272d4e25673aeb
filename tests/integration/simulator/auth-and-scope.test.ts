// Bearer auth, per-key scoping, profiles, profile groups, request ids and the error shapes of
// POSTPROXY.md §1 and §3.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChatSchema, ErrorBodySchema, MessageSchema, ProfileListSchema, ProfileSchema } from '../../../shared/postproxy.ts'
import { chatWithInbound, expectNotFound, parses, SimClient, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator

beforeEach(async () => {
  t = await startTestSimulator()
})
afterEach(async () => {
  await t.sim.close()
})

describe('bearer auth', () => {
  it.each([
    ['no header', {}],
    ['a wrong key', { authorization: 'Bearer sk_sim_not_a_real_key' }],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['an empty bearer', { authorization: 'Bearer ' }]
  ])('answers 401 {"error":"Unauthorized", "message": …} with %s', async (_label, headers) => {
    const response = await fetch(`${t.sim.url}/api/profiles`, { headers })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'Unauthorized', message: expect.stringContaining('Authorization: Bearer') })
    expect(response.headers.get('x-request-id')).toMatch(/^req_/)
  })

  it('guards the control API with the same key', async () => {
    const response = await fetch(`${t.sim.url}/_sim/state`)
    expect(response.status).toBe(401)
    const ok = await t.api.get('/_sim/state')
    expect(ok.status).toBe(200)
    expect(ok.body.account).toBe(t.sim.account)
  })

  it('accepts the scheme in any case', async () => {
    const response = await fetch(`${t.sim.url}/api/profiles`, { headers: { authorization: `bearer ${t.sim.apiKey}` } })
    expect(response.status).toBe(200)
  })

  it('uses a fixed key when one is configured', async () => {
    const fixed = await startTestSimulator({ apiKey: 'sk_fixed_for_tests' })
    try {
      expect(fixed.sim.apiKey).toBe('sk_fixed_for_tests')
      expect((await fixed.api.get('/api/profiles')).status).toBe(200)
    } finally {
      await fixed.sim.close()
    }
  })
})

describe('x-request-id', () => {
  it('is on every response, unique per request, including errors and media', async () => {
    const ids = new Set<string>()
    for (const path of ['/api/profiles', '/api/chats/nope', '/nowhere', '/media/nope']) {
      const response = await t.api.get(path)
      const id = response.headers.get('x-request-id')
      expect(id, path).toMatch(/^req_[A-Za-z0-9]+$/)
      ids.add(id!)
    }
    expect(ids.size).toBe(4)
  })
})

describe('profiles', () => {
  it('lists the key’s profiles in {data} and gets one by id', async () => {
    const list = await t.api.get('/api/profiles')
    expect(list.status).toBe(200)
    const { data } = parses(ProfileListSchema, list.body)
    expect(data.map((profile) => profile.id)).toEqual([t.sim.profileId])
    expect(data[0]).toMatchObject({ platform: 'instagram', status: 'active' })

    const one = await t.api.get(`/api/profiles/${t.sim.profileId}`)
    expect(one.status).toBe(200)
    expect(parses(ProfileSchema, one.body)).toEqual(data[0])
  })

  it('answers 404 {"error":"Not found"} for an unknown profile', async () => {
    expectNotFound(await t.api.get('/api/profiles/prof_unknown'))
  })
})

describe('per-key scoping', () => {
  it('hides every object of another account behind 404, on reads and writes', async () => {
    const { chat, message } = await chatWithInbound(t.api, 'igsid_scoped')
    const created = await t.api.post('/_sim/accounts', {})
    expect(created.status).toBe(201)
    const other = new SimClient(t.sim.url, created.body.api_key)
    expect(created.body.profile_id).not.toBe(t.sim.profileId)

    // The other key sees only its own profile.
    const otherProfiles = parses(ProfileListSchema, (await other.get('/api/profiles')).body)
    expect(otherProfiles.data.map((profile) => profile.id)).toEqual([created.body.profile_id])

    expectNotFound(await other.get(`/api/profiles/${t.sim.profileId}`))
    expectNotFound(await other.get(`/api/profiles/${t.sim.profileId}/chats`))
    expectNotFound(await other.get(`/api/chats/${chat.id}`))
    expectNotFound(await other.get(`/api/chats/${chat.external_conversation_id}`))
    expectNotFound(await other.get(`/api/chats/${chat.id}/messages`))
    expectNotFound(await other.get(`/api/messages/${message.id}`))
    expectNotFound(await other.get(`/api/messages/${message.external_id}`))
    expectNotFound(await other.post(`/api/chats/${chat.id}/messages`, { body: 'sneaky' }))
    expectNotFound(await other.post(`/api/messages/${message.id}/react`, { reaction: 'love' }))
    expectNotFound(await other.post(`/api/profiles/${t.sim.profileId}/chats`, { participant_external_id: 'igsid_x' }))
    expectNotFound(await other.post(`/_sim/messages/${message.id}/read`))

    // …while the owner still sees everything, untouched.
    const own = await t.api.get(`/api/chats/${chat.id}/messages`)
    expect(own.status).toBe(200)
    expect(own.body.total).toBe(1)
  })

  it('lets the programmatic API create accounts too', async () => {
    const extra = t.sim.createAccount()
    const other = new SimClient(t.sim.url, extra.apiKey)
    const profile = await other.get(`/api/profiles/${extra.profileId}`)
    expect(profile.status).toBe(200)
    expectNotFound(await t.api.get(`/api/profiles/${extra.profileId}`))
  })
})

describe('profile groups', () => {
  it('accepts ?profile_group_id= and scopes to it', async () => {
    const profile = parses(ProfileSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}`)).body)
    const group = profile.profile_group_id
    expect(group).toBeTruthy()
    const { chat } = await chatWithInbound(t.api)

    const inGroup = await t.api.get(`/api/profiles?profile_group_id=${group}`)
    expect(parses(ProfileListSchema, inGroup.body).data).toHaveLength(1)
    expect((await t.api.get(`/api/chats/${chat.id}?profile_group_id=${group}`)).status).toBe(200)
    parses(ChatSchema, (await t.api.get(`/api/chats/${chat.id}?profile_group_id=${group}`)).body)

    const otherGroup = await t.api.get('/api/profiles?profile_group_id=pg_other')
    expect(parses(ProfileListSchema, otherGroup.body).data).toHaveLength(0)
    expectNotFound(await t.api.get(`/api/chats/${chat.id}?profile_group_id=pg_other`))
  })
})

describe('DM platforms', () => {
  it('answers 422 for DM calls on a profile of a platform without direct messages', async () => {
    const created = await t.api.post('/_sim/accounts', { platform: 'tiktok' })
    const tiktok = new SimClient(t.sim.url, created.body.api_key)
    const profileId = created.body.profile_id
    expect(parses(ProfileSchema, (await tiktok.get(`/api/profiles/${profileId}`)).body).platform).toBe('tiktok')
    const list = await tiktok.get(`/api/profiles/${profileId}/chats`)
    expect(list.status).toBe(422)
    expect(list.body.errors[0]).toContain('tiktok')
    expect((await tiktok.post(`/api/profiles/${profileId}/chats`, { participant_external_id: 'x' })).status).toBe(422)
  })
})

describe('error shapes', () => {
  it('answers unknown routes with 404 {"error":"Not found"}', async () => {
    expectNotFound(await t.api.get('/api/nothing-here'))
    expectNotFound(await t.api.request('PUT', '/api/profiles'))
  })

  it('answers a missing required param with the 400 shape', async () => {
    const response = await t.api.post(`/api/profiles/${t.sim.profileId}/chats`, {})
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ status: 400, error: 'Bad Request' })
    expect(response.body.message).toContain('participant_external_id')
    parses(ErrorBodySchema, response.body)
  })

  it('reports validation as 422 {"errors":[…]} with sentences naming the field', async () => {
    const { chat } = await chatWithInbound(t.api)
    const response = await t.api.post(`/api/chats/${chat.id}/messages`, {})
    expect(response.status).toBe(422)
    expect(response.body.errors).toEqual([expect.stringMatching(/^Body /)])
  })

  it('gets a message by hashid and by native id with the same result', async () => {
    const { message } = await chatWithInbound(t.api)
    const byId = await t.api.get(`/api/messages/${message.id}`)
    const byMid = await t.api.get(`/api/messages/${encodeURIComponent(message.external_id)}`)
    expect(byId.status).toBe(200)
    expect(parses(MessageSchema, byMid.body)).toEqual(parses(MessageSchema, byId.body))
    expect(byMid.body.external_id).toMatch(/^mid\./)
  })
})
