// A sync in its own process, so a test can SIGKILL it at any point. Prints one line per request and
// per progress event (the parent picks when to kill by counting lines) and "done" at the end.
import { createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { openStore } from '../../../electron/inbox/store/index.ts'
import { InboxSync } from '../../../electron/inbox/sync/inbox-sync.ts'

const [baseUrl, apiKey, profileId, storePath] = process.argv.slice(2)
const store = openStore(storePath)
const sync = new InboxSync({
  client: createPostproxyClient({ baseUrl, apiKey, requestRate: null, onRequest: (r) => process.stdout.write(`${r.method} ${r.path} ${r.status}\n`) }),
  store,
  profileId,
  messageDepth: 20,
  onProgress: (p) => process.stdout.write(`${p.phase} ${p.done}/${p.total}\n`)
})
await sync.sync()
await sync.sync()
store.close()
process.stdout.write('done\n')
