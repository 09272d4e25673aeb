// The disk under the relay's database: how long one fdatasync of a 4 KiB append takes there, right now.
// A durable commit costs at least one of these, so it is the floor of the relay's ingest latency, and its
// tail is the first suspect when that latency misses its target.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { summarize, type LatencySummary } from './latency.ts'

export function probeFdatasync(dir: string, count = 200): LatencySummary {
  const path = join(dir, 'fdatasync-probe')
  const block = Buffer.alloc(4096, 0x5a)
  const samples: number[] = []
  const fd = openSync(path, 'w')
  try {
    for (let i = 0; i < count; i++) {
      writeSync(fd, block)
      const started = performance.now()
      fdatasyncSync(fd)
      samples.push(performance.now() - started)
    }
  } finally {
    closeSync(fd)
    rmSync(path, { force: true })
  }
  return summarize(samples)
}
