// Downloads that go wrong: refused links, too-big files (announced or not), server errors, no network,
// servers that go quiet. Each ends as a result with a reason (never an exception), leaves nothing on
// disk, backs off, and succeeds once the server is fine again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deferred, openCacheWorld, sha256, type CacheWorld } from './media-fixtures.ts'
import { solidPng } from './media-server.ts'

let world: CacheWorld
beforeEach(async () => {
  world = await openCacheWorld()
})
afterEach(async () => {
  await world.cleanup()
})

const png = solidPng(200, 100, 50)
const MINUTE = 60_000

function expectNothingCached() {
  expect(world.filesOnDisk()).toEqual([])
  expect(world.store.mediaIndex.totalBytes()).toEqual({ bytes: 0, files: 0 })
}

describe('links the cache will not fetch', () => {
  it('refuses anything but http(s) without a request', async () => {
    const cache = world.newCache()
    for (const url of ['file:///etc/passwd', 'data:image/png;base64,iVBORw0KGgo=', 'ftp://127.0.0.1/x.png', 'not a url', '', null, undefined]) {
      const result = await cache.ensure({ id: 'att_x', url, type: 'image' })
      expect(result).toMatchObject({ ok: false, reason: 'unsupported_url', status: null })
      expect(cache.enqueue({ id: 'att_x', url, type: 'image' })).toBe(false)
    }
    expect(world.server.requests).toEqual([])
    expectNothingCached()
  })
})

describe('too large', () => {
  it('stops at once when Content-Length announces too many bytes', async () => {
    const closed = deferred()
    world.server.route('/huge-announced', (_request, response) => {
      response.on('close', () => closed.resolve())
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(50 * 1024 * 1024) })
      response.write(png) // and then nothing: only an early stop ends this download quickly
    })
    // Without the early stop the download would wait on the silent server until this timeout.
    const cache = world.newCache({ maxFileBytes: 10_000, timeoutMs: 5_000 })

    const result = await cache.ensure({ id: 'att_huge', url: world.server.url('/huge-announced'), type: 'image' })

    expect(result).toMatchObject({ ok: false, reason: 'too_large' })
    expect(!result.ok && result.message).toContain('larger than 9.8 KB')
    await closed.promise
    expectNothingCached()
  })

  it('stops while streaming when the server sends too many bytes without a Content-Length', async () => {
    const closed = deferred()
    let bytesSent = 0
    const chunk = Buffer.alloc(4096, 7)
    const total = 8 * 1024 * 1024
    world.server.route('/huge-chunked', (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' })
      const pump = () => {
        while (bytesSent < total && !response.destroyed) {
          bytesSent += chunk.length
          if (!response.write(chunk)) return void response.once('drain', pump)
        }
        if (!response.destroyed) response.end()
      }
      response.on('close', () => closed.resolve())
      pump()
    })
    const cache = world.newCache({ maxFileBytes: 10_000 })

    const result = await cache.ensure({ id: 'att_huge', url: world.server.url('/huge-chunked'), type: 'image' })

    expect(result).toMatchObject({ ok: false, reason: 'too_large' })
    await closed.promise
    expect(bytesSent).toBeLessThan(total) // the client hung up instead of reading it all
    expectNothingCached()
  })

  it('accepts a file of exactly the limit', async () => {
    world.server.serve('/exact', png)
    const cache = world.newCache({ maxFileBytes: png.length })
    expect(await cache.ensure({ id: 'att_exact', url: world.server.url('/exact'), type: 'image' })).toMatchObject({ ok: true })
  })
})

describe('server and network failures', () => {
  it('404: not_found, held back without requests, downloaded once the file exists and the backoff passed', async () => {
    world.server.fail('/later.png', 404)
    const cache = world.newCache()
    const attachment = { id: 'att_later', url: world.server.url('/later.png'), type: 'image' }

    const failed = await cache.ensure(attachment)
    expect(failed).toMatchObject({ ok: false, reason: 'not_found', status: 404 })
    expect(!failed.ok && failed.retryAtMs).toBeGreaterThan(world.clock.now)
    expectNothingCached()

    world.server.serve('/later.png', png)
    expect(await cache.ensure(attachment)).toEqual(failed) // remembered, no new request
    expect(cache.enqueue(attachment)).toBe(false)
    expect(world.server.count('/later.png')).toBe(1)

    world.clock.now = (failed.ok ? 0 : failed.retryAtMs!) + 1
    const recovered = await cache.ensure(attachment)
    expect(recovered).toMatchObject({ ok: true, file: { contentHash: sha256(png) } })
    expect(world.server.count('/later.png')).toBe(2)
  })

  it('500: http_error with the status; "try again" ignores the backoff', async () => {
    world.server.fail('/flaky.png', 500)
    const cache = world.newCache()
    const attachment = { id: 'att_flaky', url: world.server.url('/flaky.png'), type: 'image' }

    expect(await cache.ensure(attachment)).toMatchObject({ ok: false, reason: 'http_error', status: 500 })
    expect(world.logged).toEqual([]) // an expected failure is a result, not a log line

    world.server.serve('/flaky.png', png)
    expect(await cache.ensure(attachment, { ignoreBackoff: true })).toMatchObject({ ok: true })
    expect(world.server.count('/flaky.png')).toBe(2)
  })

  it('backs off longer after each transient failure', async () => {
    world.server.fail('/down.png', 503)
    const cache = world.newCache()
    const attachment = { id: 'att_down', url: world.server.url('/down.png'), type: 'image' }
    const waits: number[] = []
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = await cache.ensure(attachment)
      if (result.ok || result.retryAtMs === null) throw new Error('expected a failure with a retry time')
      waits.push(result.retryAtMs - world.clock.now)
      world.clock.now = result.retryAtMs
    }
    expect(waits).toEqual([0.5, 1, 2, 4].map((m) => m * MINUTE))
    expect(world.server.count('/down.png')).toBe(4)
  })

  it('network down: a network failure; once the server is back and the backoff passed, it downloads', async () => {
    world.server.serve('/offline.png', png)
    await world.server.close()
    const cache = world.newCache()
    const attachment = { id: 'att_offline', url: world.server.url('/offline.png'), type: 'image' }

    const failed = await cache.ensure(attachment)
    expect(failed).toMatchObject({ ok: false, reason: 'network', status: null })
    expect(!failed.ok && failed.message).toMatch(/offline/)
    expectNothingCached()

    await world.server.restart()
    expect(await cache.ensure(attachment)).toMatchObject({ ok: false, reason: 'network' }) // still backing off
    expect(world.server.requests).toEqual([])

    world.clock.now += 30_001
    expect(await cache.ensure(attachment)).toMatchObject({ ok: true, file: { contentHash: sha256(png) } })
    expect(world.server.requests).toEqual(['/offline.png'])
  })

  it('retryFailedNow() lets everything be tried again at once (network back)', async () => {
    world.server.fail('/x.png', 502)
    const cache = world.newCache()
    const attachment = { id: 'att_x', url: world.server.url('/x.png'), type: 'image' }
    expect(await cache.ensure(attachment)).toMatchObject({ reason: 'http_error' })
    world.server.serve('/x.png', png)
    cache.retryFailedNow()
    expect(cache.enqueue(attachment)).toBe(true)
    await cache.whenIdle()
    expect(cache.lookup('att_x')?.contentHash).toBe(sha256(png))
  })

  it('an empty answer is a failure, not a cached file', async () => {
    world.server.serve('/empty.png', new Uint8Array(0))
    const cache = world.newCache()
    expect(await cache.ensure({ id: 'att_empty', url: world.server.url('/empty.png'), type: 'image' })).toMatchObject({ ok: false, reason: 'empty' })
    expectNothingCached()
  })
})

describe('servers that go quiet', () => {
  it('gives up when no answer comes', async () => {
    world.server.hold('/never', png) // never released
    const cache = world.newCache({ timeoutMs: 150 })
    const result = await cache.ensure({ id: 'att_never', url: world.server.url('/never'), type: 'image' })
    expect(result).toMatchObject({ ok: false, reason: 'timeout' })
    expectNothingCached()
  })

  it('gives up when the body stalls halfway, and deletes the partial file', async () => {
    world.server.route('/stall', (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) })
      response.write(png.subarray(0, 20)) // the rest never comes
    })
    const cache = world.newCache({ timeoutMs: 150 })
    const result = await cache.ensure({ id: 'att_stall', url: world.server.url('/stall'), type: 'image' })
    expect(result).toMatchObject({ ok: false, reason: 'timeout' })
    expectNothingCached()
  })

  it('a connection dropped mid-body is a network failure with nothing left behind', async () => {
    world.server.route('/dropped', (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) })
      response.write(png.subarray(0, 20), () => response.destroy())
    })
    const cache = world.newCache()
    const result = await cache.ensure({ id: 'att_dropped', url: world.server.url('/dropped'), type: 'image' })
    expect(result).toMatchObject({ ok: false, reason: 'network' })
    expectNothingCached()
  })
})
