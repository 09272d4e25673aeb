// Ice breakers (POSTPROXY.md §9) over real HTTP: GET (`{ice_breakers: []}` when none), PUT (1–4,
// question ≤ 80, with shared/interactive-rules.ts's sentences; POST too, as the SDKs send it), DELETE,
// Instagram only (422 naming the platform), scoping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IceBreakersResponseSchema } from '../../../shared/postproxy-interactive.ts'
import { expectNotFound, expectValidationError, parses, SimClient, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let path: string

beforeEach(async () => {
  t = await startTestSimulator()
  path = `/api/profiles/${t.sim.profileId}/ice_breakers`
})
afterEach(async () => {
  await t.sim.close()
})

const breaker = (question: string, payload = question.toUpperCase().replace(/\W+/g, '_')) => ({ question, payload })
const put = (json: unknown, api = t.api, at = path) => api.request('PUT', at, { json })

describe('ice breakers', () => {
  it('answers {ice_breakers: []} before any are set', async () => {
    const response = await t.api.get(path)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ ice_breakers: [] })
  })

  it('PUT replaces them (1 to 4), GET shows them, DELETE removes them', async () => {
    const four = [breaker('Do you ship internationally?'), breaker('When is the next drop?'), breaker('Workshops?'), breaker('Custom orders?')]
    const set = await put({ ice_breakers: four })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ success: true, ice_breakers: four })
    expect(parses(IceBreakersResponseSchema, (await t.api.get(path)).body).ice_breakers).toEqual(four)

    const one = [breaker('Just this one?')]
    await put({ ice_breakers: one })
    expect((await t.api.get(path)).body).toEqual({ ice_breakers: one })

    const removed = await t.api.delete(path)
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({ success: true, ice_breakers: [] })
    expect((await t.api.get(path)).body).toEqual({ ice_breakers: [] })
  })

  it('accepts POST as PUT (what the SDKs send)', async () => {
    const posted = await t.api.post(path, { ice_breakers: [breaker('Hi?')] })
    expect(posted.status).toBe(200)
    expect(posted.body.success).toBe(true)
    expect((await t.api.get(path)).body.ice_breakers).toHaveLength(1)
  })

  it.each([
    ['none', { ice_breakers: [] }, ['ice_breakers must be a list of 1 to 4 items (this request has 0).']],
    ['five', { ice_breakers: ['a', 'b', 'c', 'd', 'e'].map((q) => breaker(q)) }, ['ice_breakers must be a list of 1 to 4 items (this request has 5).']],
    ['no list', {}, ['ice_breakers must be a list of 1 to 4 items.']],
    ['an item that is not an object', { ice_breakers: ['Hi?'] }, ['ice_breakers[0] must be an object with a question and a payload.']],
    ['a blank question', { ice_breakers: [breaker('ok?'), { question: ' ', payload: 'x' }] }, ["ice_breakers[1].question can't be blank."]],
    ['a question over 80 characters', { ice_breakers: [breaker('q'.repeat(81), 'P')] }, ['ice_breakers[0].question must be at most 80 characters (it has 81).']],
    ['a missing payload', { ice_breakers: [{ question: 'Hi?' }] }, ["ice_breakers[0].payload can't be blank."]]
  ])('refuses %s with a 422 naming the field and index, keeping what was set', async (_label, body, errors) => {
    await put({ ice_breakers: [breaker('Kept?')] })
    const response = await put(body)
    expectValidationError(response, errors[0])
    expect(response.body.errors).toEqual(errors)
    expect((await t.api.get(path)).body.ice_breakers).toEqual([breaker('Kept?')])
  })

  it.each([
    ['facebook', 'Facebook Messenger'],
    ['telegram', 'Telegram'],
    ['tiktok', 'tiktok']
  ])('are Instagram only: every method answers 422 naming %s', async (platform, name) => {
    const account = t.sim.createAccount({ platform })
    const api = new SimClient(t.sim.url, account.apiKey)
    const at = `/api/profiles/${account.profileId}/ice_breakers`
    for (const response of [await api.get(at), await put({ ice_breakers: [breaker('Hi?')] }, api, at), await api.delete(at)]) {
      expectValidationError(response, `Managing ice breakers is possible on Instagram only, not on ${name}.`)
    }
  })

  it('answers 404 for an unknown profile, another key’s, or one outside the named profile group', async () => {
    expectNotFound(await t.api.get('/api/profiles/prof_nope/ice_breakers'))
    const other = t.sim.createAccount()
    expectNotFound(await new SimClient(t.sim.url, other.apiKey).get(path))
    expectNotFound(await put({ ice_breakers: [breaker('Hi?')] }, new SimClient(t.sim.url, other.apiKey)))
    expectNotFound(await t.api.get(`${path}?profile_group_id=pg_other`))
  })

  it('is part of the demo scenario', async () => {
    const demo = await startTestSimulator({ scenario: 'demo' })
    try {
      const { ice_breakers } = parses(IceBreakersResponseSchema, (await demo.api.get(`/api/profiles/${demo.sim.profileId}/ice_breakers`)).body)
      expect(ice_breakers.length).toBeGreaterThanOrEqual(1)
      expect(ice_breakers.length).toBeLessThanOrEqual(4)
    } finally {
      await demo.sim.close()
    }
  })
})
