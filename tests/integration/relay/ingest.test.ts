// The webhook sender's side: bodies carried byte for byte, headers kept and dropped, the body limit
// (413, nothing stored, the upload cut off), unknown ingest URLs (404) and the rate limit (429).
import { createHash, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock, startHarness, type RelayHarness } from './helpers/relay-harness.ts'
import { floodChunkedBody, sendRawRequest } from './helpers/raw-http.ts'
import { isWebhook, webhookData } from './helpers/sse-client.ts'

let harness: RelayHarness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('relay ingest', () => {
  it('carries every body byte for byte: escaped unicode, emoji, pretty-printed JSON, binary, empty', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const bodies: Buffer[] = [
      Buffer.from('{"text":"caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" \\/slash"}'),
      Buffer.from('{"text":"café 😀👩🏽‍💻 ✨ ¿Sí?","n":1.0,"big":12345678901234567890}'),
      Buffer.from('{\r\n  "id" : "evt_1",\r\n\t"data": {  "b": [1, 2 , 3] }  \r\n}\r\n  '),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      randomBytes(64 * 1024),
      Buffer.alloc(0)
    ]
    const seqs: number[] = []
    for (const body of bodies) {
      const answer = await harness.post(channel.ingest_url, body)
      expect(answer.status).toBe(200)
      seqs.push(answer.body.seq)
    }
    const stream = await harness.stream(channel.channel_id, device.token)
    const frames = (await stream.collect(isWebhook, bodies.length)).map(webhookData)
    expect(frames.map((frame) => frame.seq)).toEqual(seqs)
    frames.forEach((frame, index) => {
      const decoded = Buffer.from(frame.body_b64, 'base64')
      expect(decoded.equals(bodies[index])).toBe(true)
      expect(frame.body_sha256).toBe(sha256(bodies[index]))
      expect(frame.v).toBe(1)
      expect(frame.channel).toBe(channel.channel_id)
      expect(new Date(frame.received_at).toISOString()).toBe(frame.received_at)
    })
  })

  it('keeps end-to-end headers as ordered pairs and drops hop-by-hop headers and host', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const path = new URL(channel.ingest_url).pathname
    const body = '{"id":"evt_1","type":"message.received"}'
    const request = [
      `POST ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: keep-alive, X-Hop-Custom',
      'X-Hop-Custom: named by Connection',
      'Keep-Alive: timeout=5',
      'Proxy-Authorization: Basic c2VjcmV0',
      'Proxy-Connection: keep-alive',
      'TE: trailers',
      'Trailer: X-Checksum',
      'Upgrade: h2c',
      'User-Agent: Postproxy-Webhooks/1.0',
      'Content-Type: application/json',
      'X-Postproxy-Event: message.received',
      'X-Dup: first',
      'X-Postproxy-Delivery: dlv_123',
      'X-Dup: second',
      'X-Postproxy-Signature: t=1780000000,v1=' + 'ab'.repeat(32),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body
    ].join('\r\n')
    const response = await sendRawRequest(channel.ingest_url, Buffer.from(request))
    expect(response.status).toBe(200)

    const chunkedBody = '{"chunked":true}'
    const chunked = [
      `POST ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
      '',
      `5\r\n${chunkedBody.slice(0, 5)}\r\n${(chunkedBody.length - 5).toString(16)}\r\n${chunkedBody.slice(5)}\r\n0\r\n\r\n`
    ].join('\r\n')
    expect((await sendRawRequest(channel.ingest_url, Buffer.from(chunked))).status).toBe(200)

    const stream = await harness.stream(channel.channel_id, device.token)
    const [first, second] = (await stream.collect(isWebhook, 2)).map(webhookData)
    expect(first.headers).toEqual([
      ['user-agent', 'Postproxy-Webhooks/1.0'],
      ['content-type', 'application/json'],
      ['x-postproxy-event', 'message.received'],
      ['x-dup', 'first'],
      ['x-postproxy-delivery', 'dlv_123'],
      ['x-dup', 'second'],
      ['x-postproxy-signature', 't=1780000000,v1=' + 'ab'.repeat(32)],
      ['content-length', String(Buffer.byteLength(body))]
    ])
    expect(Buffer.from(first.body_b64, 'base64').toString()).toBe(body)
    expect(second.headers).toEqual([['content-type', 'application/json']])
    expect(Buffer.from(second.body_b64, 'base64').toString()).toBe(chunkedBody)
  })

  it('accepts a body of exactly the limit and refuses one byte more with 413, storing nothing', async () => {
    harness = await startHarness({ bodyLimitBytes: 64 * 1024 })
    const channel = await harness.createChannel()
    const atLimit = await harness.post(channel.ingest_url, randomBytes(64 * 1024))
    expect(atLimit.status).toBe(200)

    const declared = await harness.post(channel.ingest_url, randomBytes(64 * 1024 + 1))
    expect(declared.status).toBe(413)
    expect(declared.body.error).toMatch(/larger than the 65536 bytes/)

    // Without a Content-Length the limit is found while the body streams in.
    const path = new URL(channel.ingest_url).pathname
    const streamed = await floodChunkedBody(channel.ingest_url, `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`, 64 * 1024 + 1, {
      chunkBytes: 64 * 1024 + 1,
      terminate: false
    })
    expect(streamed.response?.status).toBe(413)
    expect(JSON.parse(streamed.response!.body).error).toMatch(/larger than/)
    expect(streamed.response!.head).toMatch(/\r\nconnection: close/i)

    const info = await harness.channelInfo(channel.channel_id)
    expect(info.stored_events).toBe(1)
    expect(harness.relay.metrics().ingestRefused[413]).toBe(2)
  })

  it('cuts off a 50 MB upload soon after the limit instead of reading it', async () => {
    harness = await startHarness() // default limit: 1 MiB
    const channel = await harness.createChannel()
    const path = new URL(channel.ingest_url).pathname
    const total = 50 * 1024 * 1024
    const result = await floodChunkedBody(channel.ingest_url, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`, total)
    expect(result.cutOff).toBe(true)
    // The 413 is written before the cut; a client still writing may see the reset first (see raw-http.ts).
    if (result.response) expect(result.response.status).toBe(413)
    // What got through is the limit plus what the kernel's socket buffers absorbed, far from 50 MB.
    expect(result.bytesWritten).toBeLessThan(16 * 1024 * 1024)
    expect((await harness.channelInfo(channel.channel_id)).stored_events).toBe(0)
  })

  it('answers 404 to an unknown ingest token without storing anything', async () => {
    harness = await startHarness()
    const channel = await harness.createChannel()
    const unknown = await harness.post(`${harness.relay.url}/h/rin_${'x'.repeat(43)}`, '{"a":1}')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatch(/unknown/)
    expect((await harness.post(`${harness.relay.url}/h/`, '{}')).status).toBe(404)
    expect((await harness.channelInfo(channel.channel_id)).stored_events).toBe(0)
  })

  it('rate-limits each channel with 429 + Retry-After, and refills with time', async () => {
    const clock = manualClock()
    harness = await startHarness({ now: clock.now, rateLimit: { eventsPerSecond: 2, burst: 3 } })
    const channel = await harness.createChannel()
    const other = await harness.createChannel()
    for (let i = 0; i < 3; i++) expect((await harness.post(channel.ingest_url, `{"i":${i}}`)).status).toBe(200)
    const limited = await harness.post(channel.ingest_url, '{"i":3}')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect((await harness.post(other.ingest_url, '{"other":true}')).status).toBe(200)

    clock.advance(500) // one token back at 2 per second
    expect((await harness.post(channel.ingest_url, '{"i":4}')).status).toBe(200)
    expect((await harness.post(channel.ingest_url, '{"i":5}')).status).toBe(429)
    expect((await harness.channelInfo(channel.channel_id)).stored_events).toBe(4)
    expect(harness.relay.metrics().ingestRefused[429]).toBe(2)
  })
})
