// The connected Postproxy profiles (Instagram / Messenger accounts the inbox reads).
import type BetterSqlite3 from 'better-sqlite3'
import { ProfileSchema, type Profile, type ProfileEventData } from '../../../shared/postproxy.ts'
import type { StoreDatabase } from './database.ts'
import { mergeRawJson } from './raw-json.ts'

const KNOWN_PROFILE_KEYS: ReadonlySet<string> = new Set(Object.keys(ProfileSchema.shape))

type ProfileRow = {
  id: string
  name: string | null
  platform: string
  status: string
  profile_group_id: string | null
  expires_at: string | null
  avatar_url: string | null
  raw: string
}

export class ProfilesRepository {
  private readonly db: StoreDatabase
  private readonly selectOne: BetterSqlite3.Statement<[string], ProfileRow>
  private readonly upsert: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectOne = c.prepare('SELECT * FROM profiles WHERE id = ?')
    this.upsert = c.prepare(
      `INSERT INTO profiles (id, name, platform, status, profile_group_id, expires_at, avatar_url, raw, updated_at_ms)
       VALUES (@id, @name, @platform, @status, @profile_group_id, @expires_at, @avatar_url, @raw, @now)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform, status = excluded.status,
         profile_group_id = excluded.profile_group_id, expires_at = excluded.expires_at, avatar_url = excluded.avatar_url,
         raw = excluded.raw, updated_at_ms = excluded.updated_at_ms`
    )
  }

  /** Profiles have no version order to protect: the latest answer from the server is the truth. */
  upsertProfiles(profiles: readonly Profile[]): void {
    this.db.transaction(() => {
      for (const profile of profiles) {
        const existing = this.selectOne.get(profile.id)
        const raw = JSON.stringify(profile)
        this.upsert.run({
          id: profile.id,
          name: profile.name ?? null,
          platform: profile.platform,
          status: profile.status,
          profile_group_id: profile.profile_group_id ?? null,
          expires_at: profile.expires_at ?? null,
          avatar_url: profile.avatar_url ?? null,
          raw: existing ? mergeRawJson(existing.raw, raw, true, KNOWN_PROFILE_KEYS) : raw,
          now: this.db.now()
        })
      }
    })
  }

  /**
   * A `profile.connected` / `profile.disconnected` event: the profile's new state over what the cache holds
   * (its other fields, e.g. the avatar, stay); a profile added at run time is stored from the event alone.
   */
  applyConnection(event: ProfileEventData): void {
    const existing = this.get(event.id)
    this.upsertProfiles([
      {
        ...(existing ?? { profile_group_id: event.profile_group_id ?? null, expires_at: null, avatar_url: null }),
        id: event.id,
        name: event.name ?? existing?.name ?? null,
        platform: event.platform,
        status: event.status,
        ...(event.username ? { username: event.username } : {})
      }
    ])
  }

  get(id: string): Profile | null {
    const row = this.selectOne.get(id)
    return row ? toProfile(row) : null
  }

  list(): Profile[] {
    return (this.db.connection.prepare('SELECT * FROM profiles ORDER BY name, id').all() as ProfileRow[]).map(toProfile)
  }
}

function toProfile(row: ProfileRow): Profile {
  return {
    ...(JSON.parse(row.raw) as Record<string, unknown>),
    id: row.id,
    name: row.name,
    platform: row.platform,
    status: row.status,
    profile_group_id: row.profile_group_id,
    expires_at: row.expires_at,
    avatar_url: row.avatar_url
  } as Profile
}
