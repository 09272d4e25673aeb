// The desktop side of the relay bench, in the bench's own process: a real store (SQLite file), an in-memory
// keychain, the Postproxy client pointed at the simulator, the real pairing, and tunnels with the
// production timings (1–60 s reconnect backoff, 40 s watchdog, acks every 50 events or 1 s). The REST
// reconcile is a no-op so that only the webhook path is measured.
import { join } from 'node:path'
import { createPostproxyClient, type PostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { openStore, type InboxStore } from '../../../electron/inbox/store/index.ts'
import { TunnelPairing } from '../../../electron/inbox/tunnel/pairing.ts'
import { Tunnel } from '../../../electron/inbox/tunnel/tunnel.ts'

export interface BenchDesktop {
  store: InboxStore
  client: PostproxyClient
  pairing: TunnelPairing
  /** Log lines of every tunnel of this desktop (never printed unless something goes wrong). */
  logs: string[]
  /** A new tunnel on this desktop's store and keychain, not started. */
  newTunnel(): Tunnel
  /** The ingest URL the simulator POSTs to (read back from the simulator's webhook). */
  ingestUrl(): Promise<string>
  /** The secret the simulator signs with. */
  webhookSecret(): Promise<string>
  close(): void
}

export function openBenchDesktop(dir: string, name: string, sim: { url: string; apiKey: string }): BenchDesktop {
  const store = openStore(join(dir, `${name}.db`))
  const secrets = new MemorySecretStore()
  const client = createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey, requestRate: null })
  const logs: string[] = []
  const log = (line: string): void => {
    if (logs.length < 1000) logs.push(line)
  }
  const pairing = new TunnelPairing({ store, secrets, client, log })
  return {
    store,
    client,
    pairing,
    logs,
    newTunnel: () => new Tunnel({ store, secrets, client, reconcile: async () => {}, log }),
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
