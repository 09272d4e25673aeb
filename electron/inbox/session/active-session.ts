// The services of a signed-in session (one API key, one profile): the Postproxy client, sync (chats and
// comments), the outbox (messages and comment actions), the love toggle, the poller and the relay tunnel,
// wired to the status bar and the events.
import { join } from 'node:path'
import type { ProfileSummary } from '../../../shared/inbox-api.ts'
import { CommentActions } from '../comments/comment-actions.ts'
import { commentDeliveries } from '../comments/comment-delivery.ts'
import { CommentSync } from '../comments/comment-sync.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import type { DemoBackend, InboxOptions } from '../inbox-options.ts'
import type { StatusBoard } from '../inbox-status.ts'
import { LoveToggle } from '../outbox/love-toggle.ts'
import { OutboxSender } from '../outbox/outbox-sender.ts'
import { createPostproxyClient, isPostproxyError, type PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import { InboxSync, type SyncProgress } from '../sync/inbox-sync.ts'
import { Poller } from '../sync/poller.ts'
import { Tunnel } from '../tunnel/index.ts'
import { toInboxError } from '../inbox-errors.ts'

export type SessionMode = 'live' | 'demo'

export interface ActiveSession {
  mode: SessionMode
  profileId: string
  profiles: ProfileSummary[]
  client: PostproxyClient
  sync: InboxSync
  sender: OutboxSender
  love: LoveToggle
  poller: Poller
  tunnel: Tunnel
  comments: { sync: CommentSync; actions: CommentActions }
  demo: DemoBackend | null
  apiKey: string
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
}

export interface SessionInput {
  mode: SessionMode
  apiKey: string
  client: PostproxyClient
  profile: Profile
  profiles: ProfileSummary[]
  demo: DemoBackend | null
}

/**
 * A live session paces its requests below Postproxy's assumed rate limit and learns the real one
 * (postproxy/request-rate.ts); the demo's embedded simulator is on loopback and has no limit.
 */
export function createSessionClient(mode: SessionMode, baseUrl: string, apiKey: string, options: InboxOptions): PostproxyClient {
  return createPostproxyClient({ baseUrl, apiKey, ...(mode === 'demo' ? { requestRate: null } : {}), ...options.clientOptions })
}

/** Builds the session's services and starts them: the outbox drains, the first sync runs, polling follows. */
export function startSessionServices(input: SessionInput, deps: SessionServicesDeps): ActiveSession {
  const { store, options, status } = deps
  const { client } = input
  const sync = new InboxSync({
    client,
    store,
    profileId: input.profile.id,
    onProgress: (p) => status.updateSync({ state: 'syncing', progress: firstSyncShare(p), stage: p.phase }),
    onNewInbound: (messages) => deps.announceInbound(messages.map((m) => m.id))
  })
  const commentSync = new CommentSync({
    client,
    store,
    profile: input.profile,
    now: deps.now,
    onNewComments: (ids) => deps.announceComments(ids),
    cacheImage: deps.cacheImage
  })
  const sender = new OutboxSender({
    client,
    store,
    stagingDir: join(options.dataDir, 'outbox-media'),
    now: deps.now,
    onConnectivity: (online) => status.setConnection(online),
    actions: commentDeliveries(client, store)
  })
  const poller = new Poller({ poll: () => pollOnce(sync, commentSync, status, deps.now) })
  const tunnel = new Tunnel({
    store,
    secrets: options.secrets,
    client,
    // The 15-min safety net asks only what changed (one request each for chats and comments when nothing
    // did). Receipts and reactions, which do not move a chat, and comments' likes and hides, which no event
    // carries, are re-read when events may really have been missed: at start, after a gap or a long
    // disconnect, after an event that could not be applied in full.
    reconcile: (reason) =>
      reason === 'periodic'
        ? Promise.all([sync.reconcile({ recentChats: 0 }), commentSync.sync()])
        : Promise.all([sync.reconcile(), commentSync.reconcile()]),
    // Inside the event's transaction: the comment, the event id and the cursor commit together.
    onComment: (comment) => commentSync.applyCreated(comment)
  })
  tunnel.on('status', (tunnelStatus) => {
    status.setTunnel(tunnelStatus)
    // Events arrive on their own while the tunnel is up: timed polls stop, its 15-min reconcile is the safety net.
    poller.update({ tunnelConnected: tunnelStatus.state === 'connected' })
  })
  tunnel.on('changes', (changes) => {
    deps.announceInbound(changes.newInbound.map((ref) => ref.id))
    if (changes.commentIds.length > 0) void commentSync.afterLiveApplied(changes.commentIds)
  })

  const session: ActiveSession = {
    mode: input.mode,
    profileId: input.profile.id,
    profiles: input.profiles,
    client,
    sync,
    sender,
    love: new LoveToggle({ client, store, now: deps.now }),
    poller,
    tunnel,
    comments: { sync: commentSync, actions: new CommentActions({ store, sender, profileId: input.profile.id, now: deps.now }) },
    demo: input.demo,
    apiKey: input.apiKey
  }
  sender.start()
  // The first sync runs now; the poller keeps the cache fresh afterwards.
  void poller.pollNow().then(() => poller.start())
  void connectTunnel(tunnel, input.demo?.relay).catch(() => {
    // Pairing or connecting failed: the status says so and polling carries on.
  })
  return session
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

/** One sync (chats, then comments) for the poller; a network failure marks the app offline rather than failed. */
async function pollOnce(sync: InboxSync, commentSync: CommentSync, status: StatusBoard, now: () => number): Promise<boolean> {
  status.updateSync(sync.initialSyncDone ? { state: 'syncing', progress: null, stage: null } : { state: 'syncing', progress: 0, stage: 'chats' })
  try {
    await sync.sync()
    await commentSync.sync()
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
