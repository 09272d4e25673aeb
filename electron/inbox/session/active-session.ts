// The services of a signed-in session (one API key, every profile it reaches): the Postproxy client, a
// lane per messaging profile (chat and comment sync, session/profile-lanes.ts), the one outbox (messages
// and comment actions), the love toggle, the poller and the relay tunnel, wired to the status bar and the
// events.
import { join } from 'node:path'
import { CommentActions } from '../comments/comment-actions.ts'
import { commentDeliveries } from '../comments/comment-delivery.ts'
import { profileNoticeName } from '../../../shared/profile-names.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { DemoBackend, InboxOptions } from '../inbox-options.ts'
import type { StatusBoard } from '../inbox-status.ts'
import { LoveToggle } from '../outbox/love-toggle.ts'
import { OutboxSender } from '../outbox/outbox-sender.ts'
import { createPostproxyClient, isPostproxyError, type PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import { FirstLook } from '../sync/first-look.ts'
import type { SyncProgress } from '../sync/inbox-sync.ts'
import { Poller } from '../sync/poller.ts'
import { Tunnel } from '../tunnel/index.ts'
import { toInboxError } from '../inbox-errors.ts'
import { ProfileLanes, type ProfileLane } from './profile-lanes.ts'
import { byInboxOrder, profileProblem } from './profile-summary.ts'

export type SessionMode = 'live' | 'demo'

/** How often polls read the profiles again (a connection that expired or came back) when no event says so. */
const PROFILE_CHECK_MS = 10 * 60_000

/** One Postproxy account: an API key and the profiles it reaches. */
export interface SessionAccount {
  id: string
  label: string
  apiKey: string
  client: PostproxyClient
  profiles: Profile[]
}

export interface ActiveSession {
  mode: SessionMode
  accounts: SessionAccount[]
  /** The unified inbox shows this profile only; null: every profile. */
  profileFilter: string | null
  /** The first account's client: the relay pairing's webhook and calls that name no profile. */
  client: PostproxyClient
  lanes: ProfileLanes
  sender: OutboxSender
  love: LoveToggle
  poller: Poller
  tunnel: Tunnel
  comments: { actions: CommentActions }
  demo: DemoBackend | null
  /** The creator's first look at the chat list, which a first sync's message fetching waits for. */
  firstLook: FirstLook
  /** The next poll reads the profiles again (the creator asked for a sync). */
  checkProfilesSoon(): void
}

export interface SessionServicesDeps {
  store: InboxStore
  options: InboxOptions
  status: StatusBoard
  now: () => number
  /** New inbound messages (from a poll or the tunnel), by id. */
  announceInbound: (messageIds: readonly string[]) => void
  /** New comments by others (from a poll or the tunnel), by id. */
  announceComments: (commentIds: readonly string[]) => void
  /** A post image to keep in the media cache (thumbnails read offline). */
  cacheImage: (image: { id: string; type: 'image'; url: string }) => void
  /** A profile's connection changed (a `profile.*` event): the session view must be published again. */
  onProfilesChanged: () => void
}

export interface SessionInput {
  mode: SessionMode
  accounts: SessionAccount[]
  profileFilter: string | null
  demo: DemoBackend | null
}

/**
 * A live session paces its requests below Postproxy's assumed rate limit and learns the real one
 * (postproxy/request-rate.ts); the demo's embedded simulator is on loopback and has no limit.
 */
export function createSessionClient(mode: SessionMode, baseUrl: string, apiKey: string, options: InboxOptions): PostproxyClient {
  return createPostproxyClient({ baseUrl, apiKey, ...(mode === 'demo' ? { requestRate: null } : {}), ...options.clientOptions })
}

/** Every profile of the session, with the account that reaches it. */
export function sessionProfiles(session: Pick<ActiveSession, 'accounts'>): { profile: Profile; account: SessionAccount }[] {
  return session.accounts.flatMap((account) => account.profiles.map((profile) => ({ profile, account })))
}

/** Lanes for the accounts' profiles as they are now, each with its account's client. */
function openLanes(lanes: ProfileLanes, accounts: readonly SessionAccount[]): void {
  lanes.update(accounts.flatMap((account) => account.profiles.map((profile) => ({ profile, client: account.client }))))
}

/**
 * The profile a call without a chat is about (ice breakers, a new chat by id, a comment whose post is not
 * known yet): the filtered one, else the first messaging profile (Instagram first).
 */
export function focusLane(session: Pick<ActiveSession, 'lanes' | 'profileFilter'>): ProfileLane {
  const lane =
    (session.profileFilter === null ? undefined : session.lanes.get(session.profileFilter)) ??
    [...session.lanes.all()].sort((a, b) => byInboxOrder(a.profile, b.profile))[0]
  if (!lane) throw new InboxFailure('not_found', 'None of the profiles of this Postproxy account takes direct messages. Connect an Instagram account or a Facebook Page in Postproxy first.')
  return lane
}

/** Whose chats and comments the lists read: the filtered profile, else every messaging profile of the session. */
export function profileScope(session: Pick<ActiveSession, 'lanes' | 'profileFilter'>): string | string[] {
  if (session.profileFilter !== null) return session.profileFilter
  const ids = session.lanes.all().map((lane) => lane.profile.id)
  // One profile reads as one: its queries use the per-profile indexes.
  return ids.length === 1 ? ids[0] : ids
}

/** How a notification names the profile that got something ("Clay & Tide Studio · Messenger"); null with one messaging profile. */
export function profileLabel(session: Pick<ActiveSession, 'lanes'>, profileId: string | null): string | null {
  const lanes = session.lanes.all()
  const profile = lanes.length > 1 && profileId !== null ? session.lanes.get(profileId)?.profile : undefined
  return profile ? profileNoticeName(profile) : null
}

/** Builds the session's services and starts them: the outbox drains, the first sync runs, polling follows. */
export function startSessionServices(input: SessionInput, deps: SessionServicesDeps): ActiveSession {
  const { store, options, status } = deps
  const client = input.accounts[0].client
  const firstLook = new FirstLook(options.firstLookGraceMs ?? 0)
  const lanes = new ProfileLanes({
    store,
    now: deps.now,
    onProgress: (p, lane, count) => status.updateSync({ state: 'syncing', progress: (lane + firstSyncShare(p)) / Math.max(count, 1), stage: p.phase }),
    announceInbound: deps.announceInbound,
    announceComments: deps.announceComments,
    cacheImage: deps.cacheImage,
    beforeMessages: (signal) => firstLook.wait(signal)
  })
  openLanes(lanes, input.accounts)
  // Each profile's calls go with the key of the account that reaches it.
  const clientFor = (profileId: string) => lanes.get(profileId)?.client ?? client
  // A send to a profile that lost its connection would only fail at Postproxy: it is refused at once, in
  // words that say what to do, and the draft stays.
  const sendProblem = (profileId: string) => {
    const profile = lanes.get(profileId)?.profile
    return profile ? profileProblem(profile, deps.now()) : null
  }
  const sender = new OutboxSender({
    client,
    store,
    stagingDir: join(options.dataDir, 'outbox-media'),
    now: deps.now,
    onConnectivity: (online) => status.setConnection(online),
    actions: commentDeliveries(clientFor, store),
    profileProblem: sendProblem,
    clientFor
  })
  // Without the tunnel no profile.* event arrives: polls read the profiles again now and then, and when the
  // creator asks for a sync.
  let profilesCheckedAt = deps.now()
  let profilesCheckWanted = false
  const checkProfiles = async () => {
    if (!profilesCheckWanted && deps.now() - profilesCheckedAt < PROFILE_CHECK_MS) return
    profilesCheckWanted = false
    profilesCheckedAt = deps.now()
    await refreshProfiles(session, store, deps)
  }
  const poller = new Poller({ poll: () => pollOnce(lanes, status, deps.now, checkProfiles) })
  const tunnel = new Tunnel({
    store,
    secrets: options.secrets,
    client,
    // The 15-min safety net asks only what changed (one request each for chats and comments per profile when
    // nothing did). Receipts and reactions, which do not move a chat, and comments' likes and hides, which no
    // event carries, are re-read when events may really have been missed: at start, after a gap or a long
    // disconnect, after an event that could not be applied in full. Profiles are re-read then too.
    reconcile: async (reason) => {
      if (reason !== 'periodic') await refreshProfiles(session, store, deps).catch(() => undefined)
      await lanes.reconcile(reason)
    },
    // Inside the event's transaction: the comment, the event id and the cursor commit together.
    onComment: (comment) => lanes.applyComment(comment)
  })
  tunnel.on('status', (tunnelStatus) => {
    status.setTunnel(tunnelStatus)
    // Events arrive on their own while the tunnel is up: timed polls stop, its 15-min reconcile is the safety net.
    // The pairing's webhook is the first account's: with more accounts, polls keep their profiles fresh.
    poller.update({ tunnelConnected: tunnelStatus.state === 'connected' && session.accounts.length === 1 })
  })
  tunnel.on('changes', (changes) => {
    deps.announceInbound(changes.newInbound.map((ref) => ref.id))
    if (changes.commentIds.length > 0) void lanes.afterLiveComments(changes.commentIds)
    if (changes.profileIds.length > 0) {
      applyProfileEvents(session, store, changes.profileIds)
      deps.onProfilesChanged()
    }
  })

  const session: ActiveSession = {
    mode: input.mode,
    accounts: input.accounts,
    profileFilter: input.profileFilter,
    client,
    lanes,
    sender,
    love: new LoveToggle({ client, clientFor, store, now: deps.now }),
    poller,
    tunnel,
    comments: { actions: new CommentActions({ store, sender, profileId: () => focusLane(session).profile.id, now: deps.now }) },
    demo: input.demo,
    firstLook,
    checkProfilesSoon: () => (profilesCheckWanted = true)
  }
  sender.start()
  // The first sync runs now; the poller keeps the cache fresh afterwards.
  void poller.pollNow().then(() => poller.start())
  void connectTunnel(tunnel, input.demo?.relay).catch(() => {
    // Pairing or connecting failed: the status says so and polling carries on.
  })
  return session
}

/**
 * Profiles a `profile.*` event changed, as the cache now holds them. The tunnel carries the first account's
 * events, so a profile no account knows was just connected to it: it joins the inbox.
 */
function applyProfileEvents(session: ActiveSession, store: InboxStore, profileIds: readonly string[]): void {
  for (const id of profileIds) {
    const profile = store.profiles.get(id)
    if (!profile) continue
    const owner = session.accounts.find((account) => account.profiles.some((p) => p.id === id)) ?? session.accounts[0]
    owner.profiles = [...owner.profiles.filter((p) => p.id !== id), profile]
  }
  openLanes(session.lanes, session.accounts)
}

/**
 * Asks each account for its profiles again (at start of a reconcile: a profile may have been added, have
 * expired or come back while no event could say so), stores them and opens or closes lanes.
 */
async function refreshProfiles(session: ActiveSession, store: InboxStore, deps: SessionServicesDeps): Promise<void> {
  let changed = false
  for (const account of session.accounts) {
    const profiles = await account.client.listProfiles({ priority: 'background' })
    store.profiles.upsertProfiles(profiles)
    const before = JSON.stringify(account.profiles.map((p) => [p.id, p.status]))
    account.profiles = profiles
    changed ||= before !== JSON.stringify(profiles.map((p) => [p.id, p.status]))
  }
  if (!changed) return
  openLanes(session.lanes, session.accounts)
  deps.onProfilesChanged()
}

export interface StopOptions {
  keepDemo?: boolean
  /**
   * How long to wait for the tunnel, whose stop waits for work that only reads (a reconcile under way, the
   * last acknowledgement). When quitting that is abandoned after this: the next start reconciles again and
   * the relay sends unacknowledged events again. Without it, the stop waits for them.
   */
  tunnelGraceMs?: number
}

export async function stopSessionServices(session: ActiveSession, options: StopOptions = {}): Promise<void> {
  session.poller.stop()
  await settledOrAfter(session.tunnel.stop(), options.tunnelGraceMs)
  await session.sender.stop()
  if (session.demo && !options.keepDemo) await session.demo.close()
}

/** Resolves when `work` settles, or after `ms` (never later); the work itself goes on. */
async function settledOrAfter(work: Promise<unknown>, ms: number | undefined): Promise<void> {
  if (ms === undefined) {
    await work
    return
  }
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  try {
    await Promise.race([work.then(() => undefined, () => undefined), late])
  } finally {
    clearTimeout(timer)
  }
}

/** Starts the tunnel when paired; the demo pairs with its own relay (a new one each launch). */
async function connectTunnel(tunnel: Tunnel, demoRelay: { url: string; adminToken: string } | undefined): Promise<void> {
  if (demoRelay && tunnel.pairingRecord?.relayUrl !== demoRelay.url) {
    await tunnel.pair({ relayUrl: demoRelay.url, adminToken: demoRelay.adminToken })
    return
  }
  if (tunnel.status.state !== 'not_paired') await tunnel.start()
}

/** How far a first sync is, 0..1: listing the chats is its first 5 %, their messages the rest. */
function firstSyncShare(progress: SyncProgress): number {
  const share = progress.done / Math.max(progress.total, 1)
  return progress.phase === 'chats' ? 0.05 * share : 0.05 + 0.95 * share
}

/** One sync (chats, then comments, of every profile) for the poller; a network failure marks the app offline rather than failed. */
async function pollOnce(lanes: ProfileLanes, status: StatusBoard, now: () => number, checkProfiles: () => Promise<void>): Promise<boolean> {
  status.updateSync(lanes.initialSyncDone ? { state: 'syncing', progress: null, stage: null } : { state: 'syncing', progress: 0, stage: 'chats' })
  try {
    await checkProfiles()
    await lanes.sync()
    status.updateSync({ state: 'idle', progress: null, stage: null, lastSyncedAt: new Date(now()).toISOString(), error: null })
    status.setConnection(true)
    return true
  } catch (error) {
    const offline = isPostproxyError(error) && (error.kind === 'network' || error.kind === 'timeout')
    if (offline) status.setConnection(false)
    status.updateSync({ state: offline ? 'idle' : 'error', progress: null, stage: null, error: offline ? null : toInboxError(error).message })
    return false
  }
}
