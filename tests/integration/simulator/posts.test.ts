// Posts (POSTPROXY.md §9) over real HTTP: GET /api/posts (newest first, paginated, `platforms`
// filter, profile-group and per-key scoping), GET /api/posts/:id, the images the simulator serves,
// Profile.post_count, and the control API's POST /_sim/posts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PostSchema } from '../../../shared/postproxy-comments.ts'
import { pageSchema, ProfileListSchema, ProfileSchema } from '../../../shared/postproxy.ts'
import { expectNotFound, expectValidationError, parses, SimClient, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator

beforeEach(async () => {
  t = await startTestSimulator()
})
afterEach(async () => {
  await t.sim.close()
})

const PostPage = pageSchema(PostSchema)

async function post(api: SimClient, fields: Record<string, unknown> = {}) {
  const created = await api.post('/_sim/posts', { caption: 'New mugs are in', ...fields })
  expect(created.status).toBe(201)
  return parses(PostSchema, created.body)
}

describe('GET /api/posts', () => {
  it('lists the profile group’s posts newest first in the paginated envelope, each in the shared shape', async () => {
    const older = await post(t.api, { caption: 'older', created_at: new Date(t.sim.clock.now() - 3 * 86_400_000).toISOString() })
    const newer = await post(t.api, { caption: 'newer' })
    const page = parses(PostPage, (await t.api.get('/api/posts')).body)
    expect(page).toMatchObject({ total: 2, page: 0, per_page: 20 })
    expect(page.data.map((p) => p.id)).toEqual([newer.id, older.id])
    expect(page.data[0]).toEqual({
      id: newer.id,
      body: 'newer',
      status: 'processed',
      scheduled_at: null,
      created_at: expect.any(String),
      media: [
        {
          id: expect.stringMatching(/^med_/),
          url: expect.stringContaining('/media/'),
          content_type: 'image/png',
          status: 'processed',
          error_message: null,
          source_url: null
        }
      ],
      platforms: [
        {
          platform: 'instagram',
          status: 'published',
          params: null,
          permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\/[A-Za-z0-9]{11}\/$/),
          profile_id: t.sim.profileId,
          platform_post_id: expect.stringMatching(/^\d{17}$/),
          attempted_at: newer.created_at,
          error: null,
          insights: null
        }
      ],
      thread: []
    })
  })

  it('pages with page / per_page', async () => {
    for (let i = 0; i < 3; i++) await post(t.api, { caption: `post ${i}`, created_at: new Date(t.sim.clock.now() - i * 60_000).toISOString() })
    const first = parses(PostPage, (await t.api.get('/api/posts?per_page=2')).body)
    const second = parses(PostPage, (await t.api.get('/api/posts?per_page=2&page=1')).body)
    expect(first.total).toBe(3)
    expect(first.data.map((p) => p.body)).toEqual(['post 0', 'post 1'])
    expect(second.data.map((p) => p.body)).toEqual(['post 2'])
  })

  it('filters by platforms (a comma list of network names)', async () => {
    await post(t.api)
    expect(parses(PostPage, (await t.api.get('/api/posts?platforms=instagram')).body).total).toBe(1)
    expect(parses(PostPage, (await t.api.get('/api/posts?platforms=facebook,instagram')).body).total).toBe(1)
    expect(parses(PostPage, (await t.api.get('/api/posts?platforms=facebook')).body).total).toBe(0)
  })

  it('filters by status and scheduled_after as the SDKs send them: every post went out at once, none was scheduled', async () => {
    await post(t.api)
    expect(parses(PostPage, (await t.api.get('/api/posts?status=processed')).body).total).toBe(1)
    expect(parses(PostPage, (await t.api.get('/api/posts?status=draft&per_page=5')).body)).toEqual({ total: 0, page: 0, per_page: 5, data: [] })
    expect(parses(PostPage, (await t.api.get('/api/posts?scheduled_after=2020-01-01T00:00:00Z')).body).total).toBe(0)
    const unreadable = await t.api.get('/api/posts?scheduled_after=next%20week')
    expect(unreadable.status).toBe(400)
    expect(unreadable.body.message).toContain('scheduled_after must be an ISO 8601 timestamp')
  })

  it('serves each post’s image without a key', async () => {
    const created = await post(t.api)
    const image = await fetch(created.media![0].url!)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    // A post made with a public image URL keeps it.
    const linked = await post(t.api, { image_url: 'https://cdn.example.com/mug.jpg' })
    expect(linked.media![0]).toMatchObject({ url: 'https://cdn.example.com/mug.jpg', content_type: 'image/jpeg' })
    expectValidationError(await t.api.post('/_sim/posts', { image_url: 'ftp://nope' }), /Image url must be an http\(s\) URL/)
  })

  it('scopes by ?profile_group_id= and by key', async () => {
    await post(t.api)
    const group = parses(ProfileSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}`)).body).profile_group_id
    expect(parses(PostPage, (await t.api.get(`/api/posts?profile_group_id=${group}`)).body).total).toBe(1)
    expect(parses(PostPage, (await t.api.get('/api/posts?profile_group_id=pg_other')).body).total).toBe(0)

    const other = t.sim.createAccount()
    const otherApi = new SimClient(t.sim.url, other.apiKey)
    expect(parses(PostPage, (await otherApi.get('/api/posts')).body).total).toBe(0)
  })
})

describe('GET /api/posts/:id', () => {
  it('gets one post; an unknown id, another key’s post or another group’s is 404', async () => {
    const created = await post(t.api)
    expect(parses(PostSchema, (await t.api.get(`/api/posts/${created.id}`)).body)).toEqual(created)
    expectNotFound(await t.api.get('/api/posts/post_nope'))
    expectNotFound(await t.api.get(`/api/posts/${created.id}?profile_group_id=pg_other`))
    const other = t.sim.createAccount()
    expectNotFound(await new SimClient(t.sim.url, other.apiKey).get(`/api/posts/${created.id}`))
  })
})

describe('Profile.post_count', () => {
  it('counts the profile’s posts, on the list and on the profile', async () => {
    expect(parses(ProfileSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}`)).body).post_count).toBe(0)
    await post(t.api)
    await post(t.api)
    expect(parses(ProfileSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}`)).body).post_count).toBe(2)
    expect(parses(ProfileListSchema, (await t.api.get('/api/profiles')).body).data[0].post_count).toBe(2)
  })
})

describe('the demo scenario’s posts', () => {
  it('has a handful of Instagram posts spread over the last weeks, counted on the profile', async () => {
    const demo = await startTestSimulator({ scenario: 'demo', seed: 4 })
    try {
      const page = parses(PostPage, (await demo.api.get('/api/posts?platforms=instagram')).body)
      expect(page.total).toBeGreaterThanOrEqual(4)
      expect(page.total).toBeLessThanOrEqual(8)
      const ages = page.data.map((p) => demo.sim.clock.now() - Date.parse(p.created_at))
      expect(ages).toEqual([...ages].sort((a, b) => a - b))
      expect(Math.min(...ages)).toBeLessThan(2 * 86_400_000)
      expect(Math.max(...ages)).toBeGreaterThan(14 * 86_400_000)
      for (const p of page.data) {
        expect(p.body!.length).toBeGreaterThan(10)
        expect((await fetch(p.media![0].url!)).headers.get('content-type')).toBe('image/png')
        expect(p.platforms![0].permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\//)
      }
      expect(parses(ProfileSchema, (await demo.api.get(`/api/profiles/${demo.sim.profileId}`)).body).post_count).toBe(page.total)
    } finally {
      await demo.sim.close()
    }
  })
})
