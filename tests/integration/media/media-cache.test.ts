// The media cache over a real loopback server, a real store file and a real folder: what is downloaded,
// where it lands, how it is found again, shared, evicted, queued, and read offline.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MediaResult } from '../../../electron/inbox/media/index.ts'
import { makeChat, makeMessage } from '../../unit/store/store-fixtures.ts'
import { deferred, openCacheWorld, sha256, waitForFile, type CacheWorld } from './media-fixtures.ts'
import { solidPng } from './media-server.ts'

let world: CacheWorld
beforeEach(async () => {
  world = await openCacheWorld()
})
afterEach(async () => {
  await world.cleanup()
})

function expectOk(result: MediaResult) {
  if (!result.ok) throw new Error(`expected a cached file, got ${result.reason}: ${result.message}`)
  return result.file
}

const red = solidPng(255, 0, 0)
const green = solidPng(0, 255, 0)
const blue = solidPng(0, 0, 255)
const grey = solidPng(128, 128, 128)

describe('downloading', () => {
  it('stores the bytes under their sha256, indexes them by id and URL, and resolves either', async () => {
    world.server.serve('/red.png', red)
    const url = world.server.url('/red.png')
    const cache = world.newCache()

    const file = expectOk(await cache.ensure({ id: 'att_red', url, type: 'image' }))

    expect(file).toEqual({ path: join(world.cacheDir, sha256(red)), mime: 'image/png', size: red.length, contentHash: sha256(red) })
    expect(readFileSync(file.path)).toEqual(red)
    expect(world.filesOnDisk()).toEqual([sha256(red)])
    expect(world.store.mediaIndex.lookup('att_red')?.contentHash).toBe(sha256(red))
    expect(world.store.mediaIndex.lookup(url)).toMatchObject({ contentHash: sha256(red), path: file.path, size: red.length, mime: 'image/png' })
    expect(await cache.resolve('att_red')).toEqual(file)
    expect(await cache.resolve(url)).toEqual(file)
    expect(await cache.resolve('att_unknown')).toBeNull()

    // Cached: asking again costs no request.
    expectOk(await cache.ensure({ id: 'att_red', url, type: 'image' }))
    expect(world.server.count('/red.png')).toBe(1)
    expect(world.logged).toEqual([])
  })

  it('creates a missing cache folder', async () => {
    world.server.serve('/red.png', red)
    const cache = world.newCache({ dir: join(world.root, 'nested', 'media') })
    const file = expectOk(await cache.ensure({ id: 'att_red', url: world.server.url('/red.png'), type: 'image' }))
    expect(file.path).toBe(join(world.root, 'nested', 'media', sha256(red)))
    expect(readFileSync(file.path)).toEqual(red)
  })

  it('keeps the same content under two URLs as one file', async () => {
    world.server.serve('/one.png', green)
    world.server.serve('/two.png', green)
    const cache = world.newCache()

    const first = expectOk(await cache.ensure({ id: 'att_1', url: world.server.url('/one.png'), type: 'image' }))
    const second = expectOk(await cache.ensure({ id: 'att_2', url: world.server.url('/two.png'), type: 'image' }))

    expect(second.path).toBe(first.path)
    expect(world.filesOnDisk()).toEqual([sha256(green)])
    expect(world.store.mediaIndex.totalBytes()).toEqual({ bytes: green.length, files: 1 })
    expect((await cache.resolve('att_1'))?.contentHash).toBe(sha256(green))
    expect((await cache.resolve(world.server.url('/two.png')))?.contentHash).toBe(sha256(green))
  })

  it('shares one request between concurrent requests for the same attachment, by URL or by id', async () => {
    const held = world.server.hold('/shared.png', blue)
    const url = world.server.url('/shared.png')
    const cache = world.newCache()

    const pending = [
      cache.ensure({ id: 'att_a', url, type: 'image' }),
      cache.ensure({ id: 'att_a', url, type: 'image' }),
      cache.ensure({ id: 'att_b', url, type: 'image' }),
      cache.ensure({ id: 'att_a', url: `${url}?resized=1`, type: 'image' })
    ]
    await held.arrived
    held.release()
    const files = (await Promise.all(pending)).map(expectOk)

    expect(new Set(files.map((file) => file.contentHash))).toEqual(new Set([sha256(blue)]))
    expect(world.server.requests).toEqual(['/shared.png'])
    // Every key any caller asked with now finds the file.
    for (const key of ['att_a', 'att_b', url, `${url}?resized=1`]) expect((await cache.resolve(key))?.contentHash).toBe(sha256(blue))
  })

  it('serves the real type of the bytes, and never an active type a server declared', async () => {
    world.server.serve('/png-called-jpeg', red, 'image/jpeg')
    world.server.serve('/page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html')
    world.server.serve('/drawing.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml')
    world.server.serve('/photo.webp', Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 not really'), 'image/webp; charset=binary')
    const cache = world.newCache()
    const mimeOf = async (path: string) => expectOk(await cache.ensure({ id: path, url: world.server.url(path), type: 'image' })).mime

    expect(await mimeOf('/png-called-jpeg')).toBe('image/png')
    expect(await mimeOf('/page.html')).toBe('application/octet-stream')
    expect(await mimeOf('/drawing.svg')).toBe('application/octet-stream')
    expect(await mimeOf('/photo.webp')).toBe('image/webp')
    expect((await cache.resolve('/page.html'))?.mime).toBe('application/octet-stream')
  })
})

describe('size budget', () => {
  it('evicts the least recently resolved files first, deleting them from disk, never the file just added', async () => {
    for (const [path, bytes] of [['/red', red], ['/green', green], ['/blue', blue], ['/grey', grey]] as const) world.server.serve(path, bytes)
    const largest = Math.max(red.length, green.length, blue.length, grey.length)
    const smallest = Math.min(red.length, green.length, blue.length, grey.length)
    // Room for any two files, never three.
    const maxBytes = 2 * largest
    expect(3 * smallest).toBeGreaterThan(maxBytes)
    const cache = world.newCache({ maxBytes })
    const ensureAt = async (minute: number, path: string) => {
      world.clock.now = Date.UTC(2026, 0, 2, 12, minute)
      return expectOk(await cache.ensure({ id: `att${path}`, url: world.server.url(path), type: 'image' }))
    }
    const resolveAt = async (minute: number, key: string) => {
      world.clock.now = Date.UTC(2026, 0, 2, 12, minute)
      return cache.resolve(key)
    }

    await ensureAt(1, '/red')
    await ensureAt(2, '/green')
    expect(await resolveAt(3, 'att/red')).not.toBeNull() // red is now more recent than green
    await ensureAt(4, '/blue')

    expect(world.filesOnDisk()).toEqual([sha256(red), sha256(blue)].sort())
    expect(world.store.mediaIndex.lookup('att/green')).toBeNull()
    expect(await resolveAt(5, 'att/green')).toBeNull()

    expect(await resolveAt(6, 'att/blue')).not.toBeNull() // now red is the oldest
    await ensureAt(7, '/grey')
    expect(world.filesOnDisk()).toEqual([sha256(blue), sha256(grey)].sort())
    expect(cache.usage()).toEqual({ bytes: blue.length + grey.length, files: 2, maxBytes })

    // A budget smaller than one file: everything else goes, the new file stays.
    const tiny = world.newCache({ maxBytes: 1 })
    const kept = expectOk(await tiny.ensure({ id: 'att/red-again', url: world.server.url('/red'), type: 'image' }))
    expect(world.filesOnDisk()).toEqual([sha256(red)])
    expect(readFileSync(kept.path)).toEqual(red)
  })
})

describe('queue', () => {
  it('runs eager downloads (story mentions, media on screen) before normal ones', async () => {
    const blocker = world.server.hold('/first', red)
    for (const [path, bytes] of [['/n1', green], ['/n2', blue], ['/n3', grey], ['/story', solidPng(9, 9, 9)]] as const) world.server.serve(path, bytes)
    const cache = world.newCache({ concurrency: 1 })
    const att = (path: string, type = 'image') => ({ id: `att${path}`, url: world.server.url(path), type })

    expect(cache.enqueue(att('/first'))).toBe(true)
    await blocker.arrived
    const queued = cache.enqueueFor([
      makeMessage({ id: 'msg_1', chat_id: 'chat_1', attachments: [att('/n1'), att('/n2'), att('/n3')] }),
      makeMessage({ id: 'msg_2', chat_id: 'chat_1', attachments: [att('/story', 'story_mention')] })
    ])
    expect(queued).toBe(4)
    // The creator opens /n3: it jumps ahead of the other normal downloads.
    const opened = cache.ensure(att('/n3'), { priority: 'eager' })
    blocker.release()
    expectOk(await opened)
    await cache.whenIdle()

    expect(world.server.requests).toEqual(['/first', '/story', '/n3', '/n1', '/n2'])
    // Nothing is queued twice for what is already cached.
    expect(cache.enqueueFor([makeMessage({ id: 'msg_1', chat_id: 'chat_1', attachments: [att('/n1')] })])).toBe(0)
  })

  it('refuses normal downloads beyond the queue bound, with a reason', async () => {
    const blocker = world.server.hold('/first', red)
    world.server.serve('/second', green)
    world.server.serve('/third', blue)
    const cache = world.newCache({ concurrency: 1, maxQueued: 1 })
    const att = (path: string) => ({ id: `att${path}`, url: world.server.url(path), type: 'image' })

    const first = cache.ensure(att('/first'))
    await blocker.arrived
    const second = cache.ensure(att('/second'))
    const third = await cache.ensure(att('/third'))
    expect(third).toMatchObject({ ok: false, reason: 'queue_full' })
    blocker.release()
    expectOk(await first)
    expectOk(await second)
    expect(world.server.count('/third')).toBe(0)
  })

  it('stop() aborts the running download, refuses the waiting ones and leaves no partial file', async () => {
    const started = deferred()
    const closed = deferred()
    world.server.route('/slow', (_request, response) => {
      response.on('close', () => closed.resolve())
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(red.length) })
      response.write(red.subarray(0, 10), () => started.resolve())
    })
    world.server.serve('/waiting', green)
    const cache = world.newCache({ concurrency: 1 })

    const running = cache.ensure({ id: 'att_slow', url: world.server.url('/slow'), type: 'image' })
    const waiting = cache.ensure({ id: 'att_waiting', url: world.server.url('/waiting'), type: 'image' })
    await started.promise
    await waitForFile(world.cacheDir, /\.partial$/)
    await cache.stop()

    expect(await running).toMatchObject({ ok: false, reason: 'cancelled' })
    expect(await waiting).toMatchObject({ ok: false, reason: 'cancelled' })
    await closed.promise
    expect(world.filesOnDisk()).toEqual([])
    expect(world.server.count('/waiting')).toBe(0)
    expect(world.store.mediaIndex.totalBytes()).toEqual({ bytes: 0, files: 0 })
    // Stopped: nothing new starts until start() again.
    expect(await cache.ensure({ id: 'att_waiting', url: world.server.url('/waiting'), type: 'image' })).toMatchObject({ reason: 'cancelled' })
    await cache.start()
    expectOk(await cache.ensure({ id: 'att_waiting', url: world.server.url('/waiting'), type: 'image' }))
  })

  it('after start(), caches the attachments of messages as they arrive in the store, story mentions included', async () => {
    world.server.serve('/photo', red)
    world.server.serve('/story', green)
    const cache = world.newCache()
    await cache.start()

    world.store.chats.upsertChats([makeChat({ id: 'chat_1' })])
    world.store.messages.upsertMessages([
      makeMessage({ id: 'msg_1', chat_id: 'chat_1', attachments: [{ id: 'att_photo', type: 'image', url: world.server.url('/photo'), status: null, external_id: null }] }),
      makeMessage({ id: 'msg_2', chat_id: 'chat_1', attachments: [{ id: 'att_story', type: 'story_mention', url: world.server.url('/story'), status: null, external_id: null }] }),
      makeMessage({ id: 'msg_3', chat_id: 'chat_1', body: 'no media' })
    ])
    await cache.whenIdle()

    expect(cache.lookup('att_photo')?.contentHash).toBe(sha256(red))
    expect(cache.lookup('att_story')?.contentHash).toBe(sha256(green))
    expect(world.server.requests.sort()).toEqual(['/photo', '/story'])

    // After stop(), changes no longer start downloads.
    await cache.stop()
    world.server.serve('/later', blue)
    world.store.messages.upsertMessages([
      makeMessage({ id: 'msg_4', chat_id: 'chat_1', attachments: [{ id: 'att_later', type: 'image', url: world.server.url('/later'), status: null, external_id: null }] })
    ])
    await cache.whenIdle()
    expect(world.server.count('/later')).toBe(0)
  })

  it('cacheRecent() queues the newest messages of a chat only', async () => {
    world.store.chats.upsertChats([makeChat({ id: 'chat_1' })])
    const messages = [1, 2, 3].map((n) => {
      world.server.serve(`/m${n}`, solidPng(n, n, n))
      return makeMessage({
        id: `msg_${n}`,
        chat_id: 'chat_1',
        external_posted_at: new Date(Date.UTC(2026, 0, 2, 10, n)).toISOString(),
        attachments: [{ id: `att_${n}`, type: 'image', url: world.server.url(`/m${n}`), status: null, external_id: null }]
      })
    })
    world.store.messages.upsertMessages(messages)
    const cache = world.newCache()

    expect(cache.cacheRecent('chat_1', 2)).toBe(2)
    await cache.whenIdle()
    expect(world.server.requests.sort()).toEqual(['/m2', '/m3'])
    expect(cache.lookup('att_1')).toBeNull()
  })
})

describe('offline reading', () => {
  it('after caching, serves every file with the server gone, across a restart of the cache', async () => {
    const images = { '/a': red, '/b': green, '/c': blue }
    for (const [path, bytes] of Object.entries(images)) world.server.serve(path, bytes)
    const online = world.newCache()
    for (const path of Object.keys(images)) expectOk(await online.ensure({ id: `att${path}`, url: world.server.url(path), type: 'image' }))
    await online.stop()
    await world.server.close()

    const offline = world.newCache()
    expect(await offline.start()).toEqual({ partialFilesRemoved: 0, orphanFilesRemoved: 0, entriesForgotten: 0 })
    for (const [path, bytes] of Object.entries(images)) {
      const file = await offline.resolve(`att${path}`)
      expect(file?.mime).toBe('image/png')
      expect(readFileSync(file!.path)).toEqual(bytes)
      // ensure() answers from the cache without the network.
      expect(expectOk(await offline.ensure({ id: `att${path}`, url: world.server.url(path), type: 'image' })).contentHash).toBe(sha256(bytes))
    }
    // Something never cached fails with a reason instead of throwing.
    expect(await offline.ensure({ id: 'att_new', url: world.server.url('/new'), type: 'image' })).toMatchObject({ ok: false, reason: 'network' })
  })
})
