// Brings the cached comments of one profile to Postproxy's state.
//
// - Initial sync: the profile group's posts, then the newest comments of the profile (`GET /api/comments`,
//   newest first), a bounded number of pages. History is not news, except comments of the last day that
//   still wait for the creator's answer.
// - Incremental sync: `GET /api/comments?from=<newest received>`. `from` is inclusive, so when nothing
//   changed the answer is the comments already held: exactly one request.
// - Live: each verified `comment.created` is written inside its event's transaction (`applyCreated`), so
//   the comment, the processed event id and the relay cursor commit together; a repeated delivery changes
//   nothing. It carries no profile: the post says which, and a post the cache has not seen is fetched after.
// - Reconcile (with the tunnel's, every 15 min): the last 8 days read again, for like counts and hides.
import type { BulkComment, CommentCreatedData } from '../../../shared/postproxy-comments.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import { COMMENT_PLATFORMS } from '../../../shared/comment-rules.ts'
import type { PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import { businessIdentity, fromBulkComment, fromCommentCreated, fromPost, type BusinessIdentity } from './comment-input.ts'

export interface CommentSyncOptions {
  client: PostproxyClient
  store: InboxStore
  /** The session's profile: whose comments, on which network, and who "the creator" is among authors. */
  profile: Profile
  now?: () => number
  /** New comments by others (never the initial sync's, whose history is not news), once each. */
  onNewComments?: (commentIds: string[]) => void
  /** A post image to keep in the media cache, so thumbnails read offline. */
  cacheImage?: (image: { id: string; type: 'image'; url: string }) => void
  /** Comments per page (≤ 100). */
  pageSize?: number
  log?: (line: string) => void
}

export interface CommentSyncReport {
  /** HTTP calls made (first attempts). */
  requests: number
  inserted: string[]
  updated: string[]
}

const KEY_FROM = 'comments_from'
const KEY_INITIAL_DONE = 'comments_initial_done'
/** Bounds: 10 pages of comments (1,000) on first sync, 100 pages per pass after, 5 pages of posts, 20 post look-ups. */
const MAX_INITIAL_PAGES = 10
const MAX_PAGES = 100
const MAX_POST_PAGES = 5
const MAX_POST_LOOKUPS = 20
const DAY_MS = 24 * 3600_000
/** How far back a reconcile reads again: the private reply window and a day of margin. */
const RECONCILE_SPAN_MS = 8 * DAY_MS

export class CommentSync {
  private readonly client: PostproxyClient
  private readonly store: InboxStore
  private readonly profile: Profile
  private readonly identity: BusinessIdentity
  private readonly now: () => number
  private readonly onNewComments: (commentIds: string[]) => void
  private readonly cacheImage: (image: { id: string; type: 'image'; url: string }) => void
  private readonly pageSize: number
  private readonly log: (line: string) => void
  private running: Promise<CommentSyncReport> | null = null
  /** Comments a live event inserted, until its transaction committed and they were announced. */
  private readonly liveInserted = new Set<string>()

  constructor(options: CommentSyncOptions) {
    this.client = options.client
    this.store = options.store
    this.profile = options.profile
    this.identity = businessIdentity(options.profile)
    this.now = options.now ?? Date.now
    this.onNewComments = options.onNewComments ?? (() => {})
    this.cacheImage = options.cacheImage ?? (() => {})
    this.pageSize = Math.min(options.pageSize ?? 100, 100)
    this.log = options.log ?? (() => {})
  }

  /** Postproxy reads comments on Instagram and Facebook posts only. */
  get supported(): boolean {
    return COMMENT_PLATFORMS.includes(this.profile.platform)
  }

  get initialSyncDone(): boolean {
    return this.store.syncState.get(this.scope, KEY_INITIAL_DONE) === '1'
  }

  /** "Bring the comments up to date": the initial sync the first time, an incremental one after. Concurrent calls share one run. */
  sync(signal?: AbortSignal): Promise<CommentSyncReport> {
    if (!this.supported) return Promise.resolve({ requests: 0, inserted: [], updated: [] })
    if (!this.running) {
      const run = this.initialSyncDone ? this.incremental(signal) : this.initial(signal)
      this.running = run.finally(() => (this.running = null))
    }
    return this.running
  }

  /** Reads the recent comments again: like counts and hides change without a new comment. */
  async reconcile(signal?: AbortSignal): Promise<CommentSyncReport> {
    const report = await this.sync(signal)
    if (!this.supported) return report
    const from = new Date(this.now() - RECONCILE_SPAN_MS).toISOString()
    const again = await this.readFeed({ from, maxPages: MAX_INITIAL_PAGES, unread: false, signal })
    return { requests: report.requests + again.requests, inserted: [...report.inserted, ...again.inserted], updated: [...report.updated, ...again.updated] }
  }

  /**
   * The tunnel's comment hook: a verified comment.created, written inside the event's transaction
   * (synchronous; a throw undoes the event, which is then delivered again).
   */
  applyCreated(data: CommentCreatedData): void {
    const { inserted } = this.store.comments.upsertComments([fromCommentCreated(data, this.identity)], { source: 'created', unread: () => true })
    for (const id of inserted) this.liveInserted.add(id)
  }

  /** After a live event committed: announces the comments it added, fetching a post the cache had not seen. */
  async afterLiveApplied(commentIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const added = commentIds.filter((id) => this.liveInserted.delete(id))
    if (added.length === 0) return
    if (added.some((id) => this.store.comments.get(id)?.profileId === null)) {
      try {
        await this.resolveWaitingPosts(signal)
      } catch (error) {
        this.log(`could not fetch the post of a new comment: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    this.announce(added)
  }

  private get scope(): string {
    return `comments:${this.profile.id}`
  }

  private async initial(signal?: AbortSignal): Promise<CommentSyncReport> {
    const report: CommentSyncReport = { requests: 0, inserted: [], updated: [] }
    for (let page = 0; page < MAX_POST_PAGES; page++) {
      report.requests++
      const posts = await this.client.listPosts({ platforms: [this.profile.platform], page, perPage: 100, signal })
      this.storePosts(posts.data.map((post) => fromPost(post)))
      if (posts.data.length < 100) break
    }
    const feed = await this.readFeed({ maxPages: MAX_INITIAL_PAGES, unread: false, signal })
    merge(report, feed)
    this.markAwaitingAnswer(feed.inserted)
    this.store.syncState.set(this.scope, KEY_INITIAL_DONE, '1')
    return report
  }

  private async incremental(signal?: AbortSignal): Promise<CommentSyncReport> {
    const from = this.store.syncState.get(this.scope, KEY_FROM) ?? undefined
    const report = await this.readFeed({ from, maxPages: MAX_PAGES, unread: true, signal })
    this.announce(report.inserted)
    return report
  }

  /** Pages of the profile's comment feed (newest first) from `from`, stored; then the posts they need. */
  private async readFeed(options: { from?: string; maxPages: number; unread: boolean; signal?: AbortSignal }): Promise<CommentSyncReport> {
    const report: CommentSyncReport = { requests: 0, inserted: [], updated: [] }
    let newest = this.store.syncState.get(this.scope, KEY_FROM)
    const postIds = new Set<string>()
    for (let page = 0; page < options.maxPages; page++) {
      report.requests++
      const result = await this.client.listComments({ profiles: [this.profile.id], from: options.from, page, perPage: this.pageSize, signal: options.signal })
      const stored = this.storeFeedPage(result.data, options.unread)
      report.inserted.push(...stored.inserted)
      report.updated.push(...stored.updated)
      for (const comment of result.data) {
        newest = laterOf(newest, comment.created_at)
        postIds.add(comment.post_id)
      }
      if (result.data.length < this.pageSize) break
    }
    report.requests += await this.fetchMissingPosts([...postIds], options.signal)
    // Only now: the cursor moves past these comments once they and their posts are stored.
    if (newest) this.store.syncState.set(this.scope, KEY_FROM, newest)
    return report
  }

  private storeFeedPage(comments: readonly BulkComment[], unread: boolean) {
    return this.store.transaction(() => {
      for (const pair of new Set(comments.map((c) => `${c.post_id}\n${c.profile_id}`))) {
        const [postId, profileId] = pair.split('\n')
        if (this.store.posts.get(postId)) this.store.posts.assignProfile(postId, profileId)
      }
      return this.store.comments.upsertComments(
        comments.map((c) => fromBulkComment(c, this.identity)),
        { source: 'current', unread: () => unread }
      )
    })
  }

  /** Posts of these comments that the cache lacks (a new post, or one past the first pages of posts). */
  private async fetchMissingPosts(postIds: readonly string[], signal?: AbortSignal): Promise<number> {
    const missing = this.store.posts.missing(postIds).slice(0, MAX_POST_LOOKUPS)
    for (const postId of missing) {
      const post = await this.client.getPost(postId, { signal })
      this.storePosts([fromPost(post, this.profile.id)])
    }
    return missing.length
  }

  /** Posts of comments waiting for their profile (a live comment on a post never seen): fetched, then mapped. */
  private async resolveWaitingPosts(signal?: AbortSignal): Promise<void> {
    for (const postId of this.store.comments.postsWaitingForProfile().slice(0, MAX_POST_LOOKUPS)) {
      const post = fromPost(await this.client.getPost(postId, { signal }))
      if (post.profileId === null) {
        // The post does not say which profile it went out on: Postproxy's comment feed does.
        const page = await this.client.listComments({ postIds: [postId], perPage: 1, signal })
        post.profileId = page.data[0]?.profile_id ?? null
      }
      this.storePosts([post])
    }
  }

  private storePosts(posts: ReturnType<typeof fromPost>[]): void {
    this.store.posts.upsertPosts(posts)
    for (const post of posts) if (post.imageKey && post.imageUrl) this.cacheImage({ id: post.imageKey, type: 'image', url: post.imageUrl })
  }

  /** The first sync's comments of the last day that nobody answered yet count as news. */
  private markAwaitingAnswer(insertedIds: readonly string[]): void {
    const since = this.now() - DAY_MS
    const waiting = insertedIds.filter((id) => {
      const comment = this.store.comments.get(id)
      if (!comment || comment.isOwn || !comment.isRoot || comment.repliedPublicly || comment.sortAt < since) return false
      return this.store.comments.privateReplyMessage(comment.externalId) === null
    })
    this.store.comments.markUnread(waiting)
  }

  /**
   * New comments of this profile by others, in the order they were written; a comment before the replies
   * written in the same millisecond (the feed lists those in no particular order).
   */
  private announce(commentIds: readonly string[]): void {
    const news = commentIds
      .map((id) => this.store.comments.get(id))
      .filter((comment) => comment !== null && !comment.isOwn && comment.profileId === this.profile.id)
      .sort((a, b) => a!.sortAt - b!.sortAt || Number(b!.isRoot) - Number(a!.isRoot) || a!.rowId - b!.rowId)
      .map((comment) => comment!.id)
    if (news.length > 0) this.onNewComments(news)
  }
}

function merge(into: CommentSyncReport, from: CommentSyncReport): void {
  into.requests += from.requests
  into.inserted.push(...from.inserted)
  into.updated.push(...from.updated)
}

function laterOf(a: string | null, b: string): string {
  if (a === null) return b
  return Date.parse(b) > Date.parse(a) ? b : a
}
