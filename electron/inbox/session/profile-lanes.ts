// One session, several profiles: each messaging profile of the session's keys (Instagram accounts,
// Facebook Pages) gets a lane — its chat sync and its comment sync — and the session drives them
// together. Every lane shares its account's Postproxy client, so they share one request budget and one
// concurrency limit; a poll with nothing new costs each profile one request for chats (and one for
// comments where the network has them).
import type { CommentCreatedData } from '../../../shared/postproxy-comments.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import { CommentSync } from '../comments/comment-sync.ts'
import type { PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import { InboxSync, type SyncProgress } from '../sync/inbox-sync.ts'
import { takesMessages } from './profile-summary.ts'

export interface ProfileLane {
  profile: Profile
  client: PostproxyClient
  sync: InboxSync
  comments: CommentSync
}

export interface ProfileLanesDeps {
  store: InboxStore
  now: () => number
  /** The first sync's progress over every lane: `lane` of `lanes` is at `progress`. */
  onProgress: (progress: SyncProgress, lane: number, lanes: number) => void
  announceInbound: (messageIds: readonly string[]) => void
  announceComments: (commentIds: readonly string[]) => void
  cacheImage: (image: { id: string; type: 'image'; url: string }) => void
  /** A first sync waits for this before fetching the chats' messages (sync/first-look.ts); unset: it does not wait. */
  beforeMessages?: (signal?: AbortSignal) => Promise<void>
}

export class ProfileLanes {
  readonly #deps: ProfileLanesDeps
  readonly #lanes = new Map<string, ProfileLane>()

  constructor(deps: ProfileLanesDeps) {
    this.#deps = deps
  }

  /**
   * The profiles the session reaches, with the client that reaches them: lanes open for new messaging
   * profiles and close for profiles no longer reached (another key removed). A profile that lost its
   * connection keeps its lane: reads still work, and its chats stay in the inbox.
   */
  update(profiles: readonly { profile: Profile; client: PostproxyClient }[]): void {
    const wanted = new Map(profiles.filter(({ profile }) => takesMessages(profile)).map((entry) => [entry.profile.id, entry]))
    for (const id of this.#lanes.keys()) if (!wanted.has(id)) this.#lanes.delete(id)
    for (const [id, { profile, client }] of wanted) {
      const lane = this.#lanes.get(id)
      if (lane && lane.client === client) lane.profile = profile
      else this.#lanes.set(id, this.#open(profile, client))
    }
  }

  all(): ProfileLane[] {
    return [...this.#lanes.values()]
  }

  get(profileId: string): ProfileLane | undefined {
    return this.#lanes.get(profileId)
  }

  /** The lane of a cached chat (its profile's). */
  ofChat(chatId: string): ProfileLane | undefined {
    const profileId = this.#deps.store.chats.getChat(chatId)?.chat.profile_id
    return profileId === undefined ? undefined : this.#lanes.get(profileId)
  }

  get initialSyncDone(): boolean {
    return this.all().every((lane) => lane.sync.initialSyncDone)
  }

  /** One pass over every profile, one after the other (the shared budget paces them anyway). */
  async sync(): Promise<void> {
    for (const lane of this.all()) {
      await lane.sync.sync()
      await lane.comments.sync()
    }
  }

  /** The tunnel's safety net over every profile (see active-session.ts for what each reason reads). */
  async reconcile(reason: 'periodic' | string): Promise<void> {
    for (const lane of this.all()) {
      if (reason === 'periodic') await Promise.all([lane.sync.reconcile({ recentChats: 0 }), lane.comments.sync()])
      else await Promise.all([lane.sync.reconcile(), lane.comments.reconcile()])
    }
  }

  /**
   * A verified `comment.created`, inside its event's transaction. The event names no profile: the post's
   * profile when the cache knows the post, else the one profile on the comment's network (the post is
   * fetched after the commit and says which).
   */
  applyComment(comment: CommentCreatedData): void {
    const postProfile = this.#deps.store.posts.get(comment.post_id)?.profileId
    const lane = (postProfile ? this.#lanes.get(postProfile) : undefined) ?? this.all().find((l) => l.profile.platform === comment.platform && l.comments.supported)
    lane?.comments.applyCreated(comment)
  }

  /** After live comments committed: each lane announces (and fetches the posts of) the ones it stored. */
  async afterLiveComments(commentIds: readonly string[]): Promise<void> {
    await Promise.all(this.all().map((lane) => lane.comments.afterLiveApplied(commentIds)))
  }

  #open(profile: Profile, client: PostproxyClient): ProfileLane {
    const deps = this.#deps
    const sync = new InboxSync({
      client,
      store: deps.store,
      profileId: profile.id,
      onProgress: (progress) => {
        const lanes = this.all()
        deps.onProgress(progress, Math.max(0, lanes.findIndex((l) => l.profile.id === profile.id)), lanes.length)
      },
      onNewInbound: (messages) => deps.announceInbound(messages.map((m) => m.id)),
      beforeMessages: deps.beforeMessages
    })
    const comments = new CommentSync({
      client,
      store: deps.store,
      profile,
      now: deps.now,
      onNewComments: (ids) => deps.announceComments(ids),
      cacheImage: deps.cacheImage
    })
    return { profile, client, sync, comments }
  }
}
