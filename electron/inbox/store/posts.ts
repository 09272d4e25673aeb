// The profile's posts, as far as the Comments view needs them: which profile a post went out on (what a
// comment.created, which carries no profile, is mapped through), its caption, its link on Instagram, and
// its first image (kept in the media cache, so the thumbnail shows offline).
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export type PostInput = {
  id: string
  profileId: string | null
  platform: string | null
  caption: string | null
  permalink: string | null
  /** The media cache key of the first image (its media id, else one derived from the post). */
  imageKey: string | null
  imageUrl: string | null
  createdAt: string | null
  raw: Record<string, unknown>
}

export type StoredPost = Omit<PostInput, 'raw'>

type PostRow = {
  id: string
  profile_id: string | null
  platform: string | null
  caption: string | null
  permalink: string | null
  image_key: string | null
  image_url: string | null
  created_at: string | null
}

export class PostsRepository {
  private readonly db: StoreDatabase
  private readonly upsert: BetterSqlite3.Statement
  private readonly selectOne: BetterSqlite3.Statement<[string], PostRow>
  private readonly selectMany: BetterSqlite3.Statement<[string], PostRow>
  private readonly selectByImageKey: BetterSqlite3.Statement<[string], PostRow>
  private readonly adoptComments: BetterSqlite3.Statement<[string, string], { id: string }>

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    // A profile once known is never forgotten by an answer that leaves it out.
    this.upsert = c.prepare(
      `INSERT INTO posts (id, profile_id, platform, caption, permalink, image_key, image_url, created_at, raw, updated_at_ms)
       VALUES (@id, @profile_id, @platform, @caption, @permalink, @image_key, @image_url, @created_at, @raw, @now)
       ON CONFLICT (id) DO UPDATE SET profile_id = coalesce(excluded.profile_id, profile_id), platform = coalesce(excluded.platform, platform),
         caption = excluded.caption, permalink = coalesce(excluded.permalink, permalink), image_key = excluded.image_key,
         image_url = excluded.image_url, created_at = coalesce(excluded.created_at, created_at), raw = excluded.raw,
         updated_at_ms = excluded.updated_at_ms`
    )
    this.selectOne = c.prepare('SELECT * FROM posts WHERE id = ?')
    this.selectMany = c.prepare('SELECT * FROM posts WHERE id IN (SELECT value FROM json_each(?))')
    this.selectByImageKey = c.prepare('SELECT * FROM posts WHERE image_key = ? LIMIT 1')
    this.adoptComments = c.prepare('UPDATE comments SET profile_id = ? WHERE post_id = ? AND profile_id IS NULL RETURNING id')
  }

  /** Stores the posts; comments that waited for their post's profile get it now. */
  upsertPosts(posts: readonly PostInput[]): void {
    this.db.transaction(() => {
      for (const post of posts) {
        this.upsert.run({
          id: post.id,
          profile_id: post.profileId,
          platform: post.platform,
          caption: post.caption,
          permalink: post.permalink,
          image_key: post.imageKey,
          image_url: post.imageUrl,
          created_at: post.createdAt,
          raw: JSON.stringify(post.raw),
          now: this.db.now()
        })
        const profileId = this.selectOne.get(post.id)?.profile_id ?? null
        if (profileId !== null) this.assignProfile(post.id, profileId)
      }
    })
  }

  /** What a comment of Postproxy's feed says: this post is on that profile. */
  assignProfile(postId: string, profileId: string): void {
    this.db.transaction(() => {
      this.db.connection.prepare('UPDATE posts SET profile_id = ? WHERE id = ? AND profile_id IS NULL').run(profileId, postId)
      for (const { id } of this.adoptComments.all(profileId, postId)) this.db.changes.comment(id)
    })
  }

  get(id: string): StoredPost | null {
    const row = this.selectOne.get(id)
    return row ? toPost(row) : null
  }

  getMany(ids: readonly string[]): Map<string, StoredPost> {
    const rows = ids.length === 0 ? [] : this.selectMany.all(JSON.stringify([...new Set(ids)]))
    return new Map(rows.map((row) => [row.id, toPost(row)]))
  }

  /** Ids among these that the cache has no post for. */
  missing(ids: readonly string[]): string[] {
    const known = this.getMany(ids)
    return [...new Set(ids)].filter((id) => !known.has(id))
  }

  /** A post image by its media cache key, as the media cache takes it (for serving a thumbnail). */
  imageByKey(key: string): { id: string; type: 'image'; url: string | null } | null {
    const row = this.selectByImageKey.get(key)
    return row ? { id: key, type: 'image', url: row.image_url } : null
  }
}

function toPost(row: PostRow): StoredPost {
  return {
    id: row.id,
    profileId: row.profile_id,
    platform: row.platform,
    caption: row.caption,
    permalink: row.permalink,
    imageKey: row.image_key,
    imageUrl: row.image_url,
    createdAt: row.created_at
  }
}
