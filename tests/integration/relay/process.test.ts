// The relay as a real process: the CLI's first-line contract and clean shutdown, durability across a
// `kill -9` in the middle of a burst, and its memory staying flat while a 50 MB upload is thrown at it and
// while hundreds of stalled readers ask for a backlog of large events.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, inParallel } from './helpers/relay-harness.ts'
import { floodChunkedBody } from './helpers/raw-http.ts'
import { spawnRelay, stopRelay, type RelayProcess } from './helpers/relay-process.ts'
import { isWebhook, openSse, webhookData } from './helpers/sse-client.ts'

const processes: RelayProcess[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const relay of processes.splice(0)) await stopRelay(relay)
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-relay-proc-'))
  dirs.push(dir)
  return dir
}

async function spawnTracked(args: string[], env: Record<string, string> = {}): Promise<RelayProcess> {
  const relay = await spawnRelay(args, 15_000, env)
  processes.push(relay)
  return relay
}

async function adminCall(relay: RelayProcess, method: string, path: string, token = ADMIN_TOKEN): Promise<any> {
  const response = await fetch(relay.url + path, { method, headers: { authorization: `Bearer ${token}` } })
  const text = await response.text()
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`)
  return text ? JSON.parse(text) : null
}

describe('relay process', () => {
  it('prints exactly one JSON object with its URL first, saves a generated admin token, and stops cleanly on SIGTERM and SIGINT', async () => {
    const dataDir = join(tempDir(), 'data')
    const relay = await spawnTracked(['--data', dataDir, '--port', '0', '--host', '127.0.0.1'])
    expect(Object.keys(JSON.parse(relay.firstLine))).toEqual(['url'])
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const saved = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
    expect(saved).toMatch(/^rad_/)
    expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600)
    // stderr lands in journald and container logs: it names the file, never the token (#12.10).
    await relay.stderrContaining(`Admin token: generated and saved to ${join(dataDir, 'admin-token')}`)
    expect(relay.stderr()).not.toContain(saved)
    const channel = await adminCall(relay, 'POST', '/v1/channels', saved)

    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)

    // The saved token is reused on restart, so the channel (and a paired desktop) keeps working.
    const again = await spawnTracked(['--data', dataDir])
    await again.stderrContaining(`Admin token: read from ${join(dataDir, 'admin-token')}.`)
    expect(again.stderr()).not.toContain(saved)
    expect((await adminCall(again, 'GET', `/v1/channels/${channel.channel_id}`, saved)).channel_id).toBe(channel.channel_id)
    again.child.kill('SIGINT')
    expect(await again.exited).toBe(0)
  })

  it('without a data directory saves a generated admin token in its temporary directory, never printing it, and removes it on exit', async () => {
    const relay = await spawnTracked(['--port', '0'])
    await relay.stderrContaining('Admin token: generated and saved to ')
    const file = /Admin token: generated and saved to (\S+admin-token)/.exec(relay.stderr())![1]
    const token = readFileSync(file, 'utf8').trim()
    expect(token).toMatch(/^rad_/)
    expect(relay.stderr()).not.toContain(token)
    expect((await adminCall(relay, 'POST', '/v1/channels', token)).channel_id).toMatch(/^ch_/)
    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)
    expect(existsSync(file)).toBe(false)
  })

  it('reports a bad option on stderr and exits 1 without a first line', async () => {
    await expect(spawnTracked(['--port', 'abc'])).rejects.toThrow(/--port needs a number/)
    await expect(spawnTracked(['--what'])).rejects.toThrow(/Unknown option/)
  })

  it('keeps every acknowledged webhook across kill -9 mid-burst, and seq continues above the old maximum', { timeout: 90_000 }, async () => {
    const dataDir = tempDir()
    const args = ['--data', dataDir, '--no-rate-limit', '--quiet']
    const env = { RELAY_ADMIN_TOKEN: ADMIN_TOKEN }
    const first = await spawnTracked(args, env)
    const channel = await adminCall(first, 'POST', '/v1/channels')
    const device = await adminCall(first, 'POST', `/v1/channels/${channel.channel_id}/devices`)

    const total = 3000
    const killAfter = 400
    const acknowledged: Array<{ i: number; seq: number }> = []
    let failed = 0
    await inParallel(Array.from({ length: total }, (_, i) => i), 48, async (i) => {
      try {
        const response = await fetch(channel.ingest_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `evt_${i}` }) })
        const body = (await response.json()) as { seq: number }
        if (response.status === 200) {
          acknowledged.push({ i, seq: body.seq })
          if (acknowledged.length === killAfter) first.child.kill('SIGKILL')
        }
      } catch {
        failed += 1 // refused or reset by the dead relay: the sender would retry; not acknowledged
      }
    })
    expect(await first.exited).toBe('SIGKILL')
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter)
    expect(failed).toBeGreaterThan(0)

    // Same port, as a real deployment behind a fixed URL: the sender's ingest URL stays valid.
    const second = await spawnTracked([...args, '--port', new URL(first.url).port], env)
    const info = await adminCall(second, 'GET', `/v1/channels/${channel.channel_id}`)
    expect(info.stored_events).toBeGreaterThanOrEqual(acknowledged.length)
    const stream = await openSse(`${second.url}/v1/channels/${channel.channel_id}/events`, { token: device.token })
    const frames = (await stream.collect(isWebhook, info.stored_events, 30_000)).map(webhookData)
    stream.close()
    const idBySeq = new Map(frames.map((frame) => [frame.seq, JSON.parse(Buffer.from(frame.body_b64, 'base64').toString()).id]))
    const missing = acknowledged.filter(({ i, seq }) => idBySeq.get(seq) !== `evt_${i}`)
    expect(missing).toEqual([])

    const oldMax = Math.max(info.head, ...frames.map((frame) => frame.seq), ...acknowledged.map((entry) => entry.seq))
    const after = await fetch(channel.ingest_url, { method: 'POST', body: '{"id":"after-restart"}' })
    expect(after.status).toBe(200)
    expect(((await after.json()) as { seq: number }).seq).toBeGreaterThan(oldMax)
  })

  it('keeps its memory bounded while 200 stalled readers ask for a backlog of large events (#12.7)', { timeout: 120_000 }, async () => {
    const relay = await spawnTracked(['--data', tempDir(), '--quiet', '--no-rate-limit'], { RELAY_ADMIN_TOKEN: ADMIN_TOKEN })
    const channel = await adminCall(relay, 'POST', `/v1/channels`)
    const big = JSON.stringify({ pad: 'x'.repeat(512 * 1024) })
    for (let i = 0; i < 20; i++) expect((await fetch(channel.ingest_url, { method: 'POST', body: big })).status).toBe(200)
    const devices = await inParallel(Array.from({ length: 200 }, (_, i) => i), 16, () => adminCall(relay, 'POST', `/v1/channels/${channel.channel_id}/devices`))
    const before = relay.memoryKib()

    // Each reader takes nothing: every stream the relay admits fills its socket and then its own buffer.
    const streams = await inParallel(devices, 16, (device) => openSse(`${relay.url}/v1/channels/${channel.channel_id}/events`, { token: device.token, paused: true }))
    const admitted = streams.filter((stream) => stream.status === 200).length
    // Server-side state with nothing to await: poll the metrics until every admitted stream is backed up.
    const deadline = Date.now() + 30_000
    for (;;) {
      const metrics = await adminCall(relay, 'GET', '/v1/metrics')
      if (metrics.backpressureWaits >= admitted) break
      if (Date.now() > deadline) throw new Error(`only ${metrics.backpressureWaits} of ${admitted} streams backed up within 30 s`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const after = relay.memoryKib()
    for (const stream of streams) stream.close()
    // Unbounded, 200 streams holding a page of events and a frame each would add ~400 MB.
    expect(after.rss - before.rss).toBeLessThan(100 * 1024)
    expect(admitted).toBe(10)
    expect(streams.filter((stream) => stream.status === 429)).toHaveLength(190)
  })

  it('keeps its memory flat while a client streams 50 MB at an ingest URL', { timeout: 60_000 }, async () => {
    const relay = await spawnTracked(['--data', tempDir(), '--quiet'], { RELAY_ADMIN_TOKEN: ADMIN_TOKEN })
    const channel = await adminCall(relay, 'POST', '/v1/channels')
    const path = new URL(channel.ingest_url).pathname
    // Warm up the code paths once, so the baseline includes them.
    expect((await fetch(channel.ingest_url, { method: 'POST', body: '{}' })).status).toBe(200)
    const before = relay.memoryKib()

    const result = await floodChunkedBody(channel.ingest_url, `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`, 50 * 1024 * 1024)
    expect(result.cutOff).toBe(true)
    if (result.response) expect(result.response.status).toBe(413)
    expect(result.bytesWritten).toBeLessThan(16 * 1024 * 1024)
    const after = relay.memoryKib()
    // Buffering the upload would add ~50 MB; stopping at the 1 MiB limit adds next to nothing.
    expect(after.peakRss - before.peakRss).toBeLessThan(20 * 1024)
    expect((await adminCall(relay, 'GET', `/v1/channels/${channel.channel_id}`)).stored_events).toBe(1)
  })
})
