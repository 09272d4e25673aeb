// One session over several profiles (issue #13): the core's ProfileLanes against the simulator over real
// HTTP, the simulator in its own process with three messaging profiles (two Instagram accounts and a
// Facebook Page for Messenger) of 1,000 chats each, and a TikTok account (no DMs, so no lane).
// - noop_poll_requests_per_profile: one pass over every lane with nothing changed, chat requests of the
//   profile that needed the most (target: 1 each); noop_poll_comment_requests_per_profile: the same for the
//   comment feed (one request per profile where the network has comments)
// - profiles_initial_sync_s / profiles_initial_sync_requests: the first pass over all three
// Requests are counted as they cross the wire (the client's onRequest, first attempts only), each on the
// profile whose lane made the call: the lanes share one client, as a key's profiles do in the app.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPostproxyClient, type PostproxyClient } from '../../electron/inbox/postproxy/index.ts'
import { openStore } from '../../electron/inbox/store/index.ts'
import { benchLanes, cachedChatIds } from './support/profile-lanes.ts'
import { killLeftovers, startNodeProcess, stopNodeProcess } from './support/node-process.ts'

const CHATS_PER_PROFILE = 1_000

type Counts = { chats: number; comments: number }

/**
 * The shared client as one lane sees it: every call made through it marks that lane's profile as the one
 * calling. ProfileLanes.sync() runs the lanes one after the other, so each request belongs to the lane
 * that last called.
 */
function attributed(client: PostproxyClient, profileId: string, calling: { profileId: string | null }): PostproxyClient {
  return new Proxy(client, {
    get(target, key) {
      const value = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calling.profileId = profileId
        return value.apply(target, args)
      }
    }
  })
}

const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-profiles-'))
try {
  const sim = await startNodeProcess('simulator/cli.ts', [
    '--port', '0', '--profiles', 'multi', '--chats', String(CHATS_PER_PROFILE), '--messages-per-chat', '10', '--chats-on-every-profile', '--seed', '1', '--no-alive'
  ])
  const store = openStore(join(dir, 'inbox.db'))
  const calling: { profileId: string | null } = { profileId: null }
  let counts = new Map<string, Counts>()
  const client = createPostproxyClient({
    baseUrl: sim.info.url,
    apiKey: sim.info.apiKey,
    requestRate: null,
    onRequest: (request) => {
      if (request.attempt !== 1 || !calling.profileId) return
      const of = counts.get(calling.profileId) ?? { chats: 0, comments: 0 }
      // Chats and their messages; everything else a lane asks for is its comment feed (posts, comments).
      if (request.path.includes('/chats') || request.path.includes('/messages')) of.chats++
      else of.comments++
      counts.set(calling.profileId, of)
    }
  })
  const lanes = benchLanes(store, await client.listProfiles(), (profile) => attributed(client, profile.id, calling))
  const laneProfiles = lanes.all().map((lane) => lane.profile)
  const label = (id: string) => {
    const profile = laneProfiles.find((p) => p.id === id)!
    return `${profile.name} (${profile.platform})`
  }
  if (laneProfiles.length !== 3) throw new Error(`expected 3 messaging profiles, the session has ${laneProfiles.length} lanes`)

  const started = performance.now()
  await lanes.sync()
  const initialSeconds = (performance.now() - started) / 1000
  const initialRequests = [...counts.values()].reduce((sum, c) => sum + c.chats + c.comments, 0)
  const cached = laneProfiles.map((p) => cachedChatIds(store, p.id).length)
  console.log(`initial pass over 3 profiles x ${CHATS_PER_PROFILE.toLocaleString('en')} chats x 10 messages: ${initialSeconds.toFixed(1)} s, ${initialRequests} requests; cached chats per profile: ${cached.join(', ')}`)
  if (cached.some((n) => n !== CHATS_PER_PROFILE)) throw new Error(`the initial pass did not cache ${CHATS_PER_PROFILE} chats for every profile`)

  counts = new Map(laneProfiles.map((p) => [p.id, { chats: 0, comments: 0 }]))
  await lanes.sync()
  for (const [id, c] of counts) console.log(`pass with nothing changed, ${label(id)}: ${c.chats} chat request(s), ${c.comments} comment-feed request(s)`)
  const perProfile = [...counts.values()]
  store.close()
  await stopNodeProcess(sim.child)

  console.log(
    JSON.stringify({
      noop_poll_requests_per_profile: Math.max(...perProfile.map((c) => c.chats)),
      noop_poll_comment_requests_per_profile: Math.max(...perProfile.map((c) => c.comments)),
      profiles_initial_sync_s: Number(initialSeconds.toFixed(1)),
      profiles_initial_sync_requests: initialRequests
    })
  )
} finally {
  killLeftovers()
  rmSync(dir, { recursive: true, force: true })
}
