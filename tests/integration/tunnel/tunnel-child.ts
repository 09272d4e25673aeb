// A desktop's tunnel in its own process, on a shared SQLite file, so a test can SIGKILL it anywhere.
// Prints `connected`, `committed <frames> <up to seq>` after each transaction of frames, `applied <event id>
// <seq>` after each committed event and `notify <message id>` for each new inbound message (the parent
// counts these to catch a double effect).
// Usage: node tunnel-child.ts <store path> <simulator url> <api key>; secrets as JSON in TUNNEL_SECRETS.
import { createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { MemorySecretStore, type SecretName } from '../../../electron/inbox/secrets/index.ts'
import { openStore } from '../../../electron/inbox/store/index.ts'
import { Tunnel } from '../../../electron/inbox/tunnel/tunnel.ts'

const [storePath, simUrl, apiKey] = process.argv.slice(2)
const store = openStore(storePath)
const secrets = new MemorySecretStore()
for (const [name, value] of Object.entries(JSON.parse(process.env.TUNNEL_SECRETS ?? '{}') as Record<string, string>)) {
  await secrets.set(name as SecretName, value)
}
const tunnel = new Tunnel({
  store,
  secrets,
  client: createPostproxyClient({ baseUrl: simUrl, apiKey, requestRate: null, backoff: { baseMs: 20, maxMs: 200 } }),
  reconcile: async () => {},
  delay: { minMs: 20, maxMs: 200 },
  watchdogMs: 5000,
  ack: { maxDelayMs: 50 }
})
tunnel.on('frame', (frame) => {
  if (frame.result !== 'applied') return
  let lines = `applied ${frame.eventId} ${frame.seq}\n`
  for (const ref of frame.changes.newInbound) lines += `notify ${ref.id}\n`
  process.stdout.write(lines)
})
tunnel.on('status', (status) => {
  if (status.state === 'connected') process.stdout.write('connected\n')
})
process.on('SIGTERM', () => {
  void tunnel.stop().then(() => {
    store.close()
    process.exit(0)
  })
})
tunnel.on('committed', ({ frames, upTo }) => process.stdout.write(`committed ${frames} ${upTo}\n`))
await tunnel.start()
