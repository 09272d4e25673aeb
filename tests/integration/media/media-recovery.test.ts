// What the cache finds after things went wrong outside it: a process killed mid-download, files deleted
// or damaged behind its back, leftovers in the folder. Nothing half-written is ever served; everything
// missing is downloaded again.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCacheWorld, sha256, waitForFile, type CacheWorld } from './media-fixtures.ts'
import { solidPng } from './media-server.ts'

let world: CacheWorld
beforeEach(async () => {
  world = await openCacheWorld()
})
afterEach(async () => {
  await world.cleanup()
})

const png = solidPng(10, 20, 30)
const other = solidPng(40, 50, 60)

describe('crash safety', () => {
  it('a download killed mid-transfer leaves only a partial file, which the next start sweeps', async () => {
    world.server.route('/big.png', (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) })
      response.write(png.subarray(0, 30)) // the rest would come later; the process dies first
    })
    const child = spawn(process.execPath, [join(import.meta.dirname, 'download-child.ts'), world.storePath, world.cacheDir, world.server.url('/big.png')], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      const partial = await waitForFile(world.cacheDir, /^[0-9a-f]{32}\.partial$/)
      child.kill('SIGKILL')
      await once(child, 'exit')
      expect(world.filesOnDisk()).toEqual([partial]) // never a file under its final name
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(world.store.mediaIndex.totalBytes()).toEqual({ bytes: 0, files: 0 })

    world.server.serve('/big.png', png)
    const cache = world.newCache()
    expect(await cache.start()).toEqual({ partialFilesRemoved: 1, orphanFilesRemoved: 0, entriesForgotten: 0 })
    expect(world.filesOnDisk()).toEqual([])
    expect(await cache.ensure({ id: 'att_crash', url: world.server.url('/big.png'), type: 'image' })).toMatchObject({ ok: true })
    expect(world.filesOnDisk()).toEqual([sha256(png)])
  })

  it('sweep() removes leftovers and orphans, forgets vanished or damaged entries, and leaves foreign files alone', async () => {
    world.server.serve('/kept.png', png)
    world.server.serve('/damaged.png', other)
    const cache = world.newCache()
    const kept = await cache.ensure({ id: 'att_kept', url: world.server.url('/kept.png'), type: 'image' })
    const damaged = await cache.ensure({ id: 'att_damaged', url: world.server.url('/damaged.png'), type: 'image' })
    if (!kept.ok || !damaged.ok) throw new Error('setup downloads failed')
    await cache.stop()

    const partial = `${'ab'.repeat(16)}.partial`
    const orphan = sha256(Buffer.from('a file from a crash between rename and record'))
    writeFileSync(join(world.cacheDir, partial), 'half a download')
    writeFileSync(join(world.cacheDir, orphan), 'no index entry')
    writeFileSync(join(world.cacheDir, 'README.txt'), 'not the cache’s to delete')
    writeFileSync(damaged.file.path, 'truncated') // wrong size: a torn write
    const vanished = sha256(Buffer.from('deleted by hand'))
    world.store.mediaIndex.record({ keys: ['att_vanished'], contentHash: vanished, path: join(world.cacheDir, vanished), size: 12, mime: 'image/png' })

    const restarted = world.newCache()
    expect(await restarted.start()).toEqual({ partialFilesRemoved: 1, orphanFilesRemoved: 1, entriesForgotten: 2 })

    expect(world.filesOnDisk()).toEqual(['README.txt', kept.file.contentHash].sort())
    expect(world.store.mediaIndex.lookup('att_vanished')).toBeNull()
    expect(world.store.mediaIndex.lookup('att_damaged')).toBeNull()
    expect(readFileSync((await restarted.resolve('att_kept'))!.path)).toEqual(png)
    // The damaged one comes back whole on the next request.
    expect(await restarted.ensure({ id: 'att_damaged', url: world.server.url('/damaged.png'), type: 'image' })).toMatchObject({
      ok: true,
      file: { contentHash: sha256(other), size: other.length }
    })
  })
})

describe('files changed behind the cache', () => {
  it('a deleted file is noticed by resolve(), forgotten, and downloaded again by ensure()', async () => {
    world.server.serve('/photo.png', png)
    const cache = world.newCache()
    const attachment = { id: 'att_photo', url: world.server.url('/photo.png'), type: 'image' }
    const first = await cache.ensure(attachment)
    if (!first.ok) throw new Error('setup download failed')

    rmSync(first.file.path)
    expect(await cache.resolve('att_photo')).toBeNull()
    expect(world.store.mediaIndex.lookup('att_photo')).toBeNull()
    expect(world.store.mediaIndex.lookup(attachment.url)).toBeNull()

    expect(await cache.ensure(attachment)).toMatchObject({ ok: true, file: { path: first.file.path } })
    expect(world.server.count('/photo.png')).toBe(2)
    expect(readFileSync((await cache.resolve(attachment.url))!.path)).toEqual(png)
  })

  it('ensure() itself notices a deleted file instead of trusting the index', async () => {
    world.server.serve('/photo.png', png)
    const cache = world.newCache()
    const attachment = { id: 'att_photo', url: world.server.url('/photo.png'), type: 'image' }
    const first = await cache.ensure(attachment)
    if (!first.ok) throw new Error('setup download failed')
    rmSync(first.file.path)

    expect(await cache.ensure(attachment)).toMatchObject({ ok: true })
    expect(world.server.count('/photo.png')).toBe(2)
    expect(readFileSync(first.file.path)).toEqual(png)
  })
})

describe('stopping', () => {
  it("stop() waits for the start's sweep, which ends at its next file: nothing touches the folder afterwards, and the next start sweeps again", async () => {
    const orphans = Array.from({ length: 300 }, (_, i) => sha256(Buffer.from(`left by a crash ${i}`)))
    for (const name of orphans) writeFileSync(join(world.cacheDir, name), 'no index entry')
    const cache = world.newCache()
    const started = cache.start()
    await cache.stop()
    // The store may close and the folder go now (the app quitting, a test cleaning up).
    const afterStop = world.filesOnDisk()
    expect(await started).toEqual({ partialFilesRemoved: 0, orphanFilesRemoved: orphans.length - afterStop.length, entriesForgotten: 0 })
    expect(world.filesOnDisk()).toEqual(afterStop)

    expect(await world.newCache().start()).toEqual({ partialFilesRemoved: 0, orphanFilesRemoved: afterStop.length, entriesForgotten: 0 })
    expect(world.filesOnDisk()).toEqual([])
    expect(world.logged).toEqual([])
  })
})
