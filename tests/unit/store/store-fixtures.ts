// Builders for Postproxy objects and throwaway store files used by the store tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Chat, Message } from '../../../shared/postproxy.ts'
import { openStore, type InboxStore, type OpenStoreOptions } from '../../../electron/inbox/store/index.ts'

export function makeChat(overrides: Partial<Chat> & { id: string }): Chat {
  return {
    profile_id: 'prof_1',
    platform: 'instagram',
    participant_external_id: `igsid_${overrides.id}`,
    participant_username: null,
    participant_name: null,
    participant_avatar_url: null,
    external_conversation_id: null,
    last_inbound_at: null,
    last_outbound_at: null,
    last_message_at: null,
    metadata: null,
    created_at: '2026-01-01T00:00:00.000Z',
    ...overrides
  }
}

export function makeMessage(overrides: Partial<Message> & { id: string; chat_id: string }): Message {
  return {
    external_id: `mid.${overrides.id}`,
    direction: 'inbound',
    body: 'hello',
    status: 'received',
    tag: null,
    external_comment_id: null,
    error_message: null,
    platform_data: null,
    external_posted_at: '2026-01-02T10:00:00.000Z',
    external_delivered_at: null,
    external_read_at: null,
    external_edited_at: null,
    external_deleted_at: null,
    reply_to_external_id: null,
    reactions: [],
    attachments: [],
    is_unsupported: false,
    created_at: '2026-01-02T10:00:01.000Z',
    ...overrides
  }
}

/** ISO time `minutes` after a fixed origin, so tests read as "message at minute 5". */
export function at(minutes: number): string {
  return new Date(Date.UTC(2026, 0, 2, 10, 0, 0) + minutes * 60_000).toISOString()
}

export type TempStore = {
  store: InboxStore
  dir: string
  path: string
  clock: { now: number }
  reopen(options?: OpenStoreOptions): InboxStore
  cleanup(): void
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dmdesk-store-'))
}

export function openTempStore(options: OpenStoreOptions = {}): TempStore {
  const dir = makeTempDir()
  const path = join(dir, 'inbox.sqlite')
  const clock = { now: Date.UTC(2026, 0, 2, 12, 0, 0) }
  const open = (extra: OpenStoreOptions = {}) => openStore(path, { now: () => clock.now, ...options, ...extra })
  const temp: TempStore = {
    store: open(),
    dir,
    path,
    clock,
    reopen(extra) {
      temp.store.close()
      temp.store = open(extra)
      return temp.store
    },
    cleanup() {
      temp.store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return temp
}
