// Bad input never crashes the simulator: malformed JSON (400), wrong content type (415), oversized
// bodies (413, without buffering the excess), broken multipart (400), and a handler that throws
// (500 JSON, and the server keeps serving).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../../simulator/body.ts'
import { ErrorBodySchema } from '../../../shared/postproxy.ts'
import { chatWithInbound, parses, rawRequest, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let chatId: string

beforeEach(async () => {
  t = await startTestSimulator()
  chatId = (await chatWithInbound(t.api)).chat.id
})
afterEach(async () => {
  await t.sim.close()
})

const auth = () => ({ authorization: `Bearer ${t.sim.apiKey}` })
const sendPath = () => `/api/chats/${chatId}/messages`

async function stillServing(): Promise<void> {
  expect((await t.api.get('/api/profiles')).status).toBe(200)
}

describe('malformed bodies', () => {
  it.each([
    ['truncated JSON', '{"body": "hi"'],
    ['not JSON at all', 'body=hi'],
    ['a JSON array', '["hi"]'],
    ['a JSON string', '"hi"'],
    ['JSON null', 'null']
  ])('answers 400 for %s', async (_label, payload) => {
    const response = await rawRequest(t.sim.url, 'POST', sendPath(), { ...auth(), 'content-type': 'application/json' }, payload)
    expect(response.status).toBe(400)
    const body = parses(ErrorBodySchema, JSON.parse(response.body))
    expect(body).toMatchObject({ status: 400, error: 'Bad Request' })
    expect(response.headers['x-request-id']).toBeTruthy()
    await stillServing()
  })

  it('answers 400 for bytes that are not UTF-8', async () => {
    const payload = Buffer.from([0x7b, 0x22, 0x62, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])
    const response = await rawRequest(t.sim.url, 'POST', sendPath(), { ...auth(), 'content-type': 'application/json' }, payload)
    expect(response.status).toBe(400)
  })

  it('answers 415 for a content type it does not take, and for a body without one', async () => {
    const xml = await rawRequest(t.sim.url, 'POST', sendPath(), { ...auth(), 'content-type': 'application/xml' }, '<body>hi</body>')
    expect(xml.status).toBe(415)
    expect(JSON.parse(xml.body)).toMatchObject({ status: 415, error: 'Unsupported Media Type' })
    const none = await rawRequest(t.sim.url, 'POST', sendPath(), auth(), '{"body":"hi"}')
    expect(none.status).toBe(415)
    await stillServing()
  })

  it.each([
    ['no boundary', 'multipart/form-data', '--x\r\n\r\nhi\r\n--x--\r\n'],
    ['a boundary that never appears', 'multipart/form-data; boundary=abc', 'hello'],
    ['an unterminated part', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="body"\r\n\r\nhi'],
    ['a part without a name', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data\r\n\r\nhi\r\n--abc--\r\n'],
    ['a header line without a colon', 'multipart/form-data; boundary=abc', '--abc\r\nnonsense\r\n\r\nhi\r\n--abc--\r\n']
  ])('answers 400 for multipart with %s', async (_label, contentType, payload) => {
    const response = await rawRequest(t.sim.url, 'POST', sendPath(), { ...auth(), 'content-type': contentType }, payload)
    expect(response.status).toBe(400)
    expect(JSON.parse(response.body).error).toBe('Bad Request')
    await stillServing()
  })

  it('reads a hand-written multipart body with quoted parameters and an RFC 5987 file name', async () => {
    const png = Buffer.alloc(64, 0x20)
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png)
    const payload = Buffer.concat([
      Buffer.from('preamble to ignore\r\n--b0und"ary\r\n'),
      Buffer.from(`Content-Disposition: form-data; name="media[]"; filename="a;b.png"; filename*=UTF-8''caf%C3%A9.png\r\n`),
      Buffer.from('Content-Type: image/png\r\n\r\n'),
      png,
      Buffer.from('\r\n--b0und"ary--\r\nepilogue')
    ])
    const response = await rawRequest(t.sim.url, 'POST', sendPath(), { ...auth(), 'content-type': 'multipart/form-data; boundary="b0und\\"ary"' }, payload)
    expect(response.status).toBe(202)
    const url = JSON.parse(response.body).attachments[0].url
    const served = await fetch(url)
    expect(served.headers.get('content-disposition')).toBe(`inline; filename*=UTF-8''caf%C3%A9.png`)
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true)
  })
})

describe('body size limit', () => {
  it('answers 413 at once for a declared Content-Length over the limit, before reading it', async () => {
    const response = await rawRequest(
      t.sim.url,
      'POST',
      sendPath(),
      { ...auth(), 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) },
      '{}' // far less than declared: the answer comes from the header alone
    )
    expect(response.status).toBe(413)
    expect(JSON.parse(response.body)).toMatchObject({ status: 413, error: 'Payload Too Large' })
  })

  it('answers 413 for a streamed (chunked) body that grows past the limit, and keeps serving', async () => {
    const chunk = new Uint8Array(1024 * 1024)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Bounded: a few MB past the limit at most.
        if (sent > MAX_BODY_BYTES + 4 * chunk.length) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      }
    })
    const response = await fetch(`${t.sim.url}${sendPath()}`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: stream,
      duplex: 'half'
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(((await response.json()) as { message: string }).message).toMatch(/larger than the \d+ MB/)
    await stillServing()
    expect((await t.api.get(`${sendPath()}?direction=outbound`)).body.total).toBe(0)
  })
})

describe('never crashes', () => {
  it('turns a handler that throws into a 500 JSON answer and keeps serving', async () => {
    const original = t.sim.state.profiles.bind(t.sim.state)
    t.sim.state.profiles = () => {
      throw new Error('disk on fire')
    }
    const errors: unknown[] = []
    const consoleError = console.error
    console.error = (...args: unknown[]) => errors.push(args)
    try {
      const response = await t.api.get('/api/profiles')
      expect(response.status).toBe(500)
      expect(response.body).toMatchObject({ status: 500, error: 'Internal Server Error' })
      expect(JSON.stringify(response.body)).not.toContain('disk on fire')
      expect(errors).toHaveLength(1)
    } finally {
      console.error = consoleError
      t.sim.state.profiles = original
    }
    await stillServing()
  })

  it('survives a volley of odd requests', async () => {
    const odd: [string, string, Record<string, string>, string | undefined][] = [
      ['GET', '/api/chats/%', {}, undefined],
      ['GET', '/api/chats/%E0%A4%A', {}, undefined],
      ['GET', `/api/profiles/${'x'.repeat(5000)}`, {}, undefined],
      ['POST', '/api/profiles/%00/chats', { 'content-type': 'application/json' }, '{"participant_external_id":"\\u0000"}'],
      ['PATCH', '/api/webhooks/wh_x', { 'content-type': 'application/json' }, '{"events":{"a":1}}'],
      ['DELETE', sendPath(), { 'content-type': 'application/json' }, '{}'],
      ['POST', sendPath(), { 'content-type': 'application/json' }, '{"body":{"nested":true},"media":[null]}'],
      ['POST', sendPath(), { 'content-type': 'application/json' }, '{"media":[{"url":"https://x"}]}'],
      ['POST', sendPath(), { 'content-type': 'application/json' }, '{"media":[123]}'],
      ['POST', sendPath(), { 'content-type': 'application/json' }, '{"body":"hi","tag":["HUMAN_AGENT"]}'],
      ['POST', '/_sim/inbound', { 'content-type': 'application/json' }, '{"participant_external_id":{},"body":[]}'],
      ['POST', '/_sim/inbound', { 'content-type': 'application/json' }, '{"participant_external_id":"a","story_reply":"x","body":"b"}'],
      ['POST', '/_sim/faults', { 'content-type': 'application/json' }, '{"kind":"latency","ms":"soon"}'],
      ['POST', '/_sim/clock/advance', { 'content-type': 'application/json' }, '{"ms":1e400}'],
      ['POST', '/_sim/reset', { 'content-type': 'application/json' }, '{"chats":-1}'],
      ['GET', '/_sim/chats/nope?limit=-1', {}, undefined],
      ['OPTIONS', '/api/profiles', {}, undefined]
    ]
    for (const [method, path, headers, body] of odd) {
      const response = await rawRequest(t.sim.url, method, path, { ...auth(), ...headers }, body).catch((error: Error) => {
        throw new Error(`${method} ${path}: ${error.message}`)
      })
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400)
      expect(response.status, `${method} ${path}`).toBeLessThan(500)
      parses(ErrorBodySchema, JSON.parse(response.body))
    }
    await stillServing()
  })
})
