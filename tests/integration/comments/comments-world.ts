// Per-test wiring for the comments tests: the real core (Inbox, through its InboxApi) on a real SQLite file,
// signed in to a real simulator through a proxy that can lose the network; every request the client makes
// and every event the core pushes are recorded. Waiting is event-driven and bounded.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { CommentThread, InboxEventName, InboxEvents, InboxStatus } from '../../../shared/inbox-api.ts'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import type { RequestRecord } from '../../../electron/inbox/postproxy/index.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { startRelay, type RelayHandle } from '../../../relay/index.ts'
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator/index.ts'
import { startSwitchableProxy, type SwitchableProxy } from '../../support/switchable-proxy.ts'

const WAIT_MS = 20_000

export interface CommentsWorld {
  sim: RunningSimulator
  /** Between the core and the simulator: `down()` is the network gone. */
  proxy: SwitchableProxy
  dir: string
  secrets: MemorySecretStore
  inbox: Inbox
  requests: RequestRecord[]
  events: { name: InboxEventName; payload: unknown }[]
  /** Closes the core, runs `meanwhile`, and opens it again on the same data directory and keychain (a restart). */
  restart(meanwhile?: () => void | Promise<void>): Promise<Inbox>
  /** Resolves with the first pushed `name` (already pushed ones count) that satisfies `match`. */
  nextEvent<K extends InboxEventName>(name: K, match?: (payload: InboxEvents[K]) => boolean): Promise<InboxEvents[K]>
  /** Checks `check` now and after every comments-, chats- or messages-changed push until it returns a value. */
  untilComments<T>(check: () => Promise<T | null | undefined>): Promise<T>
  /** A sync done: the status says idle with a time. */
  synced(): Promise<void>
  /** The network came back (the shell's signal): waiting sends go now. */
  online(): void
  close(): Promise<void>
}

export async function commentsWorld(options: SimulatorOptions = {}): Promise<CommentsWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-comments-'))
  const sim = await startSimulator({ scenario: 'demo', seed: 7, ...options })
  const proxy = await startSwitchableProxy(sim.url)
  const secrets = new MemorySecretStore()
  const requests: RequestRecord[] = []
  const events: { name: InboxEventName; payload: unknown }[] = []
  const open = async () => {
    const inbox = await Inbox.open({
      dataDir: dir,
      secrets,
      postproxyBaseUrl: proxy.url,
      // A long Retry-After is not waited out inside one request: the outbox schedules it (and a test can hurry it).
      clientOptions: { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 1, maxRetryAfterMs: 1_000, timeoutMs: 5_000, onRequest: (r) => requests.push(r) }
    })
    inbox.on((name, payload) => events.push({ name, payload }))
    return inbox
  }
  const world: CommentsWorld = {
    sim,
    proxy,
    dir,
    secrets,
    inbox: await open(),
    requests,
    events,
    async restart(meanwhile) {
      await world.inbox.close()
      await meanwhile?.()
      events.length = 0
      world.inbox = await open()
      return world.inbox
    },
    nextEvent(name, match = () => true) {
      const seen = events.find((e) => e.name === name && match(e.payload as never))
      if (seen) return Promise.resolve(seen.payload as never)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          stop()
          reject(new Error(`no matching ${name} event within ${WAIT_MS} ms`))
        }, WAIT_MS)
        const stop = world.inbox.on((n, payload) => {
          if ((n as InboxEventName) === name && match(payload as never)) {
            clearTimeout(timer)
            stop()
            resolve(payload as never)
          }
        })
      })
    },
    untilComments(check) {
      return new Promise((resolve, reject) => {
        let done = false
        const finish = (value: unknown, error?: unknown) => {
          if (done) return
          done = true
          clearTimeout(timer)
          stop()
          if (error) reject(error)
          else resolve(value as never)
        }
        const attempt = () =>
          check().then(
            (value) => {
              if (value !== null && value !== undefined) finish(value)
            },
            (error) => finish(null, error)
          )
        const timer = setTimeout(() => finish(null, new Error(`the comments did not reach the expected state within ${WAIT_MS} ms`)), WAIT_MS)
        const stop = world.inbox.on((name) => {
          if (name === 'comments-changed' || name === 'chats-changed' || name === 'messages-changed') void attempt()
        })
        void attempt()
      })
    },
    async synced() {
      const done = (s: InboxStatus) => s.sync.state === 'idle' && s.sync.lastSyncedAt !== null
      const now = await world.inbox.api.getStatus()
      if (now.ok && done(now.value)) return
      await world.nextEvent('status', done)
    },
    online() {
      world.inbox.setAppState({ online: false })
      world.inbox.setAppState({ online: true })
    },
    async close() {
      await world.inbox.close()
      await proxy.close()
      await sim.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return world
}

/** Starts a relay in the world's directory, pairs the signed-in core with it and waits for the tunnel. */
export async function pairedWithRelay(world: CommentsWorld, adminToken: string): Promise<RelayHandle> {
  const relay = await startRelay({ adminToken, dataDir: join(world.dir, 'relay'), heartbeatMs: 250, retryMs: 100, rateLimit: false, synchronous: 'normal' })
  const connected = world.nextEvent('status', (s: InboxStatus) => s.tunnel.state === 'connected')
  expect(await world.inbox.api.pairRelay({ relayUrl: relay.url, adminToken })).toMatchObject({ ok: true })
  await connected
  return relay
}

/** Signs in with the simulator's key and waits for the first sync (chats and comments). */
export async function signedIn(world: CommentsWorld): Promise<void> {
  expect(await world.inbox.api.signIn({ apiKey: world.sim.apiKey })).toMatchObject({ ok: true })
  await world.synced()
}

/** Every thread of the Comments view (all pages). */
export async function allThreads(world: CommentsWorld, filter: 'all' | 'unanswered' | 'hidden' | 'has_chat' = 'all'): Promise<CommentThread[]> {
  const threads: CommentThread[] = []
  let cursor: string | null = null
  for (let page = 0; page < 50; page++) {
    const result = await world.inbox.api.listComments({ filter, cursor, limit: 20 })
    if (!result.ok) throw new Error(result.error.message)
    threads.push(...result.value.threads)
    cursor = result.value.nextCursor
    if (!cursor) break
  }
  return threads
}

/** The simulator's comments (its ground truth), with the private reply each one took. */
export function serverComments(world: CommentsWorld) {
  return world.sim.state.posts.allComments(world.sim.account)
}

/** The thread of the comment `text` starts with. */
export async function threadOf(world: CommentsWorld, text: string): Promise<CommentThread> {
  const thread = (await allThreads(world)).find((t) => t.comment.body?.startsWith(text))
  if (!thread) throw new Error(`no comment starting with "${text}" in the Comments view`)
  return thread
}

/** Comment requests on the wire of a kind, e.g. ('POST', '/private_reply'). */
export function requestsTo(world: CommentsWorld, method: string, pathPart: string): RequestRecord[] {
  return world.requests.filter((r) => r.method === method && r.path.includes(pathPart))
}
