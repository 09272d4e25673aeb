// The inbox core against the simulator over real HTTP, the simulator in its own process:
// - initial_sync_s / initial_sync_requests: 1,000 chats x 50 messages
// - noop_poll_requests: an incremental sync with nothing changed, at 1,000 chats (target: 1)
// - rss_mb: this (core) process's resident memory after syncing 1M messages (10,000 x 100; target < 300)
// Prints human lines, then one JSON line.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createPostproxyClient } from '../../electron/inbox/postproxy/index.ts'
import { openStore } from '../../electron/inbox/store/index.ts'
import { InboxSync } from '../../electron/inbox/sync/inbox-sync.ts'

const ROOT = join(import.meta.dirname, '../..')

async function simulator(chats: number, messagesPerChat: number): Promise<{ child: ChildProcess; url: string; apiKey: string; profileId: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'simulator/cli.ts'), '--port', '0', '--chats', String(chats), '--messages-per-chat', String(messagesPerChat), '--seed', '1', '--no-alive'], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
  })
  return { child, ...JSON.parse(line) }
}

async function syncOnce(chats: number, messagesPerChat: number, depth: number) {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-sync-'))
  const sim = await simulator(chats, messagesPerChat)
  const store = openStore(join(dir, 'inbox.db'))
  let requests = 0
  const client = createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey, maxConcurrent: 4, requestRate: null, onRequest: (r) => r.attempt === 1 && requests++ })
  const sync = new InboxSync({ client, store, profileId: sim.profileId, messageDepth: depth, concurrency: 4 })
  const started = performance.now()
  await sync.sync()
  const seconds = (performance.now() - started) / 1000
  const initialRequests = requests
  requests = 0
  await sync.sync()
  return {
    seconds,
    initialRequests,
    noopRequests: requests,
    close() {
      store.close()
      sim.child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

const small = await syncOnce(1_000, 50, 50)
console.log(`initial sync, 1,000 chats x 50 messages: ${small.seconds.toFixed(2)} s, ${small.initialRequests} requests`)
console.log(`incremental sync with nothing changed: ${small.noopRequests} request(s)`)
small.close()

const big = await syncOnce(10_000, 100, 100)
;(globalThis as { gc?: () => void }).gc?.()
const rssMb = process.memoryUsage().rss / 1024 / 1024
console.log(`initial sync, 10,000 chats x 100 messages (1M): ${big.seconds.toFixed(1)} s, ${big.initialRequests} requests; core RSS after: ${rssMb.toFixed(0)} MB`)
big.close()

console.log(
  JSON.stringify({
    initial_sync_s: Number(small.seconds.toFixed(2)),
    initial_sync_requests: small.initialRequests,
    noop_poll_requests: small.noopRequests,
    rss_mb: Math.round(rssMb)
  })
)
