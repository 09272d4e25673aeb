// A media download in its own process, so a test can SIGKILL it mid-transfer (a crash, a power cut)
// and check what the next start finds on disk.
import { MediaCache } from '../../../electron/inbox/media/index.ts'
import { openStore } from '../../../electron/inbox/store/index.ts'

const [storePath, cacheDir, url] = process.argv.slice(2)
const store = openStore(storePath)
const cache = new MediaCache({ store, dir: cacheDir })
const result = await cache.ensure({ id: 'att_crash', url, type: 'image' })
process.stdout.write(`${JSON.stringify(result)}\n`)
store.close()
