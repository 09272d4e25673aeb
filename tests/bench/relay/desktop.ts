// The desktop side of the relay bench, in the bench's own process: a real store (SQLite file), an in-memory
// keychain, the Postproxy client pointed at the simulator, the real pairing, and tunnels with the
// production timings (1–60 s reconnect backoff, 40 s watchdog, acks every 50 events or 1 s). The REST
// reconcile is a no-op so that only the webhook path is measured.
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { createPostproxyClient, type PostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { openStore, type InboxStore } from '../../../electron/inbox/store/index.ts'
import { TunnelPairing } from '../../../electron/inbox/tunnel/pairing.ts'
import { Tunnel, type TunnelOptions } from '../../../electron/inbox/tunnel/tunnel.ts'

export interface BenchDesktop {
  store: InboxStore
  client: PostproxyClient
  pairing: TunnelPairing
  /** Log lines of every tunnel of this desktop (never printed unless something goes wrong). */
  logs: string[]
  /** A new tunnel on this desktop's store (or `store`) and keychain, not started. */
  newTunnel(options?: Partial<TunnelOptions>): Tunnel
  /**
   * A copy of the store as it is now (same pairing, same cursor), as another file: to run the same
   * catch-up twice, side by side, from the same starting point.
   */
  copyStore(name: string): InboxStore
  /** The ingest URL the simulator POSTs to (read back from the simulator's webhook). */
  ingestUrl(): Promise<string>
  /** The secret the simulator signs with. */
  webhookSecret(): Promise<string>
  close(): void
}

export function openBenchDesktop(dir: string, name: string, sim: { url: string; apiKey: string }): BenchDesktop {
  const path = join(dir, `${name}.db`)
  let store = openStore(path)
  const secrets = new MemorySecretStore()
  const client = createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey, requestRate: null })
  const logs: string[] = []
  const log = (line: string): void => {
    if (logs.length < 1000) logs.push(line)
  }
  let pairing = new TunnelPairing({ store, secrets, client, log })
  return {
    get store() {
      return store
    },
    client,
    get pairing() {
      return pairing
    },
    logs,
    newTunnel: (options = {}) => new Tunnel({ store, secrets, client, reconcile: async () => {}, log, ...options }),
    copyStore(copyName) {
      // Closing checkpoints the WAL into the file, so the file alone is the whole state.
      store.close()
      const copyPath = join(dir, `${copyName}.db`)
      copyFileSync(path, copyPath)
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copyPath}-wal`)
      store = openStore(path)
      pairing = new TunnelPairing({ store, secrets, client, log })
      return openStore(copyPath)
    },
    async ingestUrl() {
      const [key] = pairing.webhookKeys()
      if (!key) throw new Error(`desktop ${name} is not paired`)
      return (await client.getWebhook(key.webhookId)).url
    },
    async webhookSecret() {
      const [secret] = await pairing.webhookSecrets()
      if (!secret) throw new Error(`desktop ${name} has no webhook secret`)
      return secret
    },
    close: () => store.close()
  }
}
