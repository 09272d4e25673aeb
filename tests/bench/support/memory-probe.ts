// Bench-only: preloaded into a process the day bench starts (`NODE_OPTIONS=--import <this file>`), it answers
// SIGUSR2 with one stdout line `memory-probe {json}`: process.memoryUsage() as it stands (no GC first, so
// reading it does not change what the bench measures next). With DMDESK_MEMORY_PROBE_DIR set it also forces
// a full GC, adds the heap after it, and writes a heap snapshot there (memory-<n>.heapsnapshot) to diff
// between hours (tests/bench/support/heap-summary.ts). Nothing in the app loads it.
import { join } from 'node:path'
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { MEMORY_PROBE_PREFIX } from './core-memory.ts'

const MiB = 1024 * 1024
const mb = (bytes: number) => Number((bytes / MiB).toFixed(1))

function usage() {
  const u = process.memoryUsage()
  return { rssMb: mb(u.rss), heapTotalMb: mb(u.heapTotal), heapUsedMb: mb(u.heapUsed), externalMb: mb(u.external), arrayBuffersMb: mb(u.arrayBuffers) }
}

const dir = process.env.DMDESK_MEMORY_PROBE_DIR
let reads = 0
process.on('SIGUSR2', () => {
  const result: Record<string, unknown> = usage()
  reads++
  if (dir) {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    gc()
    result.afterGc = usage()
    result.snapshot = writeHeapSnapshot(join(dir, `memory-${reads}.heapsnapshot`))
  }
  process.stdout.write(`${MEMORY_PROBE_PREFIX}${JSON.stringify(result)}\n`)
})
