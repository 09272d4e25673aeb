// Shared by the sync tests: a simulator, a store in a temp dir, a client that counts its requests,
// and the simulator's ground truth to compare the cache against.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator/index.ts'
import { createPostproxyClient, type PostproxyClient, type PostproxyClientOptions, type RequestRecord } from '../../../electron/inbox/postproxy/index.ts'
import { openStore, type InboxStore } from '../../../electron/inbox/store/index.ts'
import type { Message } from '../../../shared/postproxy.ts'

export interface SyncWorld {
  sim: RunningSimulator
  store: InboxStore
  storePath: string
  client: PostproxyClient
  requests: RequestRecord[]
  dir: string
  close(): Promise<void>
}

/**
 * `clientOptions` tune the client (tests of failure paths use short backoffs). The simulator has no rate
 * limit unless a test sets one, so the client does not pace itself unless a test asks it to.
 */
export async function syncWorld(options: SimulatorOptions = {}, clientOptions: Partial<PostproxyClientOptions> = {}): Promise<SyncWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-sync-'))
  const sim = await startSimulator({ scenario: 'demo', seed: 7, ...options })
  const storePath = join(dir, 'inbox.db')
  const store = openStore(storePath)
  const requests: RequestRecord[] = []
  const client = createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey, requestRate: null, onRequest: (r) => requests.push(r), ...clientOptions })
  return {
    sim,
    store,
    storePath,
    client,
    requests,
    dir,
    async close() {
      store.close()
      await sim.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

type ChatView = { id: string; last_message_at: string | null; last_inbound_at: string | null; newestMessages: string[] }

/** Messages as "time id", newest first; messages of the same millisecond in id order, as for chats. */
function canonicalMessages(messages: Message[]): string[] {
  return messages
    .map((m) => `${m.external_posted_at ?? m.created_at} ${m.id}`)
    .sort((a, b) => b.slice(0, 24).localeCompare(a.slice(0, 24)) || a.localeCompare(b))
}

/** Newest activity first; chats active in the same millisecond in id order (server and cache may break such ties differently). */
function canonicalOrder(chats: ChatView[]): ChatView[] {
  return chats.sort((a, b) => (b.last_message_at ?? '').localeCompare(a.last_message_at ?? '') || a.id.localeCompare(b.id))
}

/** Every chat on the server, with its newest `depth` messages' ids, as the cache should hold them. */
export function groundTruth(world: SyncWorld, depth: number) {
  const { sim } = world
  const chats = sim.control.listChats(sim.account, sim.profileId).map((chat) => ({
    id: chat.id,
    last_message_at: chat.last_message_at ?? null,
    last_inbound_at: chat.last_inbound_at ?? null,
    newestMessages: canonicalMessages(sim.control.listMessages(sim.account, chat.id, depth))
  }))
  return canonicalOrder(chats)
}

/** The cache's view, in the same shape as `groundTruth`. */
export function cacheView(store: InboxStore, profileId: string, depth: number) {
  const chats = []
  for (let page = store.chats.listChats({ profileId, limit: 200 }); ; page = store.chats.listChats({ profileId, limit: 200, after: page.nextCursor! })) {
    chats.push(...page.chats)
    if (!page.nextCursor) break
  }
  const view = chats.map(({ chat }) => ({
    id: chat.id,
    last_message_at: chat.last_message_at ?? null,
    last_inbound_at: chat.last_inbound_at ?? null,
    newestMessages: canonicalMessages(store.messages.threadPage(chat.id, { limit: depth }).messages.map((m) => m.message))
  }))
  return canonicalOrder(view)
}
