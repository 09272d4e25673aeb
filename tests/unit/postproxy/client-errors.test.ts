// Every error shape of POSTPROXY.md §3, malformed 2xx payloads, and the rule that the API key never
// appears in anything an error carries.
import type { ServerResponse } from 'node:http'
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PostproxyError, createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { postproxyFailureOf, testClient } from './client-harness.ts'
import { API_KEY, chatFixture, messageFixture, page } from './fixtures.ts'
import { sendJson, sendText, startLoopbackServer, type LoopbackServer } from './loopback-server.ts'
import { UNSERVED_LOOPBACK_URL } from '../../support/unserved-address.ts'

let server: LoopbackServer

beforeEach(async () => {
  server = await startLoopbackServer()
})

afterEach(async () => {
  await server.close()
})

/** Everything an error could expose when logged, serialized or shown. */
function everythingIn(error: PostproxyError): string {
  return [
    String(error),
    error.message,
    error.userMessage,
    error.stack ?? '',
    JSON.stringify(error),
    String(error.cause),
    inspect(error, { depth: Infinity, showHidden: true })
  ].join('\n')
}

describe('error shapes', () => {
  const cases: Array<{
    name: string
    status: number
    body: unknown
    kind: PostproxyError['kind']
    userMessage: string | RegExp
    retryable: boolean
  }> = [
    {
      name: '400 {status,error,message}',
      status: 400,
      body: { status: 400, error: 'Bad Request', message: 'param is missing or the value is empty: body' },
      kind: 'bad_request',
      userMessage: "Postproxy couldn't handle this request: param is missing or the value is empty: body",
      retryable: false
    },
    {
      name: '401 {"error"}',
      status: 401,
      body: { error: 'Unauthorized' },
      kind: 'unauthorized',
      userMessage: "Postproxy didn't accept your API key. Check it in Settings.",
      retryable: false
    },
    {
      name: '404 {"error"}',
      status: 404,
      body: { error: 'Not found' },
      kind: 'not_found',
      userMessage: /^Postproxy couldn't find this chat\./,
      retryable: false
    },
    {
      name: '422 {"errors":[..]}',
      status: 422,
      body: { errors: ['Body is too long (maximum is 1000 bytes)', 'Tag is not included in the list'] },
      kind: 'validation',
      userMessage: 'Instagram says: Body is too long (maximum is 1000 bytes); Tag is not included in the list',
      retryable: false
    },
    {
      name: '409 {"error"} (no retry budget)',
      status: 409,
      body: { error: 'A request with this Idempotency-Key is still being processed' },
      kind: 'conflict',
      userMessage: /still working on this request/,
      retryable: true
    },
    {
      name: '429 without Retry-After',
      status: 429,
      body: { error: 'Rate limit exceeded' },
      kind: 'rate_limited',
      userMessage: 'Postproxy is busy right now; retrying shortly.',
      retryable: true
    },
    {
      name: '500 {"error"}',
      status: 500,
      body: { error: 'Internal Server Error' },
      kind: 'server',
      userMessage: 'Postproxy is having trouble right now (error 500). Try again in a moment.',
      retryable: true
    }
  ]

  for (const testCase of cases) {
    it(`maps ${testCase.name}`, async () => {
      server.handler = (_req, res) => sendJson(res, testCase.status, testCase.body, { 'x-request-id': 'req_abc' })
      const { client } = testClient(server, { maxRetries: 0 })

      const error = await postproxyFailureOf(client.sendMessage('chat_xyz789', { body: 'hello' }))

      expect(error.kind).toBe(testCase.kind)
      expect(error.status).toBe(testCase.status)
      expect(error.retryable).toBe(testCase.retryable)
      expect(error.requestId).toBe('req_abc')
      expect(error.userMessage).toMatch(testCase.userMessage)
      expect(error.message).toContain(`POST /api/chats/chat_xyz789/messages failed with ${testCase.status}`)
      expect(error.cause).toBeInstanceOf(Error)
    })
  }

  it('prefers errors[] over message over error, as the SDKs do', async () => {
    server.handler = (_req, res) => sendJson(res, 422, { errors: ['first'], message: 'second', error: 'third' })
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.getChat('c'))).message).toMatch(/: first$/)
  })

  it('speaks for Postproxy, not Instagram, when a webhook call is refused', async () => {
    server.handler = (_req, res) => sendJson(res, 422, { errors: ['Url must be https'] })
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.createWebhook({ url: 'http://x', events: ['*'] }))

    expect(error.userMessage).toBe('Postproxy says: Url must be https')
  })

  it('speaks for the platform of the chat or comment a call names, whatever the client was made for', async () => {
    server.handler = (_req, res) => sendJson(res, 422, { errors: ['Reaction must be one of love, like'] })
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.react('msg_1', 'love', { platform: 'facebook' }))).userMessage).toBe(
      'Facebook Messenger says: Reaction must be one of love, like'
    )
    expect((await postproxyFailureOf(client.unreact('msg_1', { platform: 'instagram' }))).userMessage).toBe('Instagram says: Reaction must be one of love, like')
    expect((await postproxyFailureOf(client.sendMessage('chat_1', { body: 'hi' }, { platform: 'facebook' }))).userMessage).toMatch(/^Facebook Messenger says: /)
    // A Page's comments are on Facebook, not Messenger.
    expect((await postproxyFailureOf(client.createComment('post_1', 'prof_1', 'hi', { platform: 'facebook' }))).userMessage).toMatch(/^Facebook says: /)
    expect((await postproxyFailureOf(client.hideComment('post_1', 'c_1', 'prof_1', { platform: 'facebook' }))).userMessage).toMatch(/^Facebook says: /)
  })

  it('maps 502 with an HTML error page to the status text, without the HTML', async () => {
    server.handler = (_req, res) =>
      sendText(res, 502, '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>', 'text/html')
    const { client } = testClient(server, { maxRetries: 0 })

    const error = await postproxyFailureOf(client.listProfiles())

    expect(error.kind).toBe('server')
    expect(error.status).toBe(502)
    expect(error.message).toBe('GET /api/profiles failed with 502 Bad Gateway: Bad Gateway')
    expect(error.userMessage).not.toContain('<')
  })

  it('maps 503 with an empty body', async () => {
    server.handler = (_req, res) => {
      res.writeHead(503)
      res.end()
    }
    const { client } = testClient(server, { maxRetries: 0 })

    const error = await postproxyFailureOf(client.listProfiles())

    expect(error).toMatchObject({ kind: 'server', status: 503, retryable: true })
    expect(error.message).toMatch(/Service Unavailable$/)
  })

  it('names the resource in a not-found message', async () => {
    server.handler = (_req, res) => sendJson(res, 404, { error: 'Not found' })
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.getMessage('msg_x'))).userMessage).toMatch(/couldn't find this message/)
    expect((await postproxyFailureOf(client.getProfile('prof_x'))).userMessage).toMatch(/couldn't find this profile/)
  })

  it('reports an unreachable server as a network error a person understands', async () => {
    const client = createPostproxyClient({ baseUrl: UNSERVED_LOOPBACK_URL, apiKey: API_KEY, maxRetries: 0 })

    const error = await postproxyFailureOf(client.listProfiles())

    expect(error).toMatchObject({ kind: 'network', status: null, retryable: true })
    expect(error.userMessage).toBe("Can't reach Postproxy — you're offline or it is down.")
    expect(everythingIn(error)).toMatch(/ECONNREFUSED/)
  })
})

describe('malformed responses', () => {
  const cases: Array<{ name: string; respond: (res: ServerResponse) => void }> = [
    { name: 'a message missing its id', respond: (res) => sendJson(res, 200, { ...messageFixture(), id: undefined }) },
    { name: 'a status outside the enum', respond: (res) => sendJson(res, 200, messageFixture({ status: 'delivered' })) },
    { name: 'a number where a string belongs', respond: (res) => sendJson(res, 200, messageFixture({ chat_id: 42 })) },
    { name: 'an unparseable timestamp', respond: (res) => sendJson(res, 200, messageFixture({ created_at: 'yesterday' })) },
    { name: 'a JSON array instead of an object', respond: (res) => sendJson(res, 200, [messageFixture()]) },
    { name: 'JSON null', respond: (res) => sendJson(res, 200, null) },
    { name: 'an HTML page with status 200', respond: (res) => sendText(res, 200, '<!doctype html><title>Log in to Wi-Fi</title>', 'text/html') },
    { name: 'an empty 200', respond: (res) => sendText(res, 200, '', 'application/json') },
    { name: 'truncated JSON', respond: (res) => sendText(res, 200, '{"id":"msg_1","chat_id":', 'application/json') }
  ]

  for (const testCase of cases) {
    it(`turns ${testCase.name} into malformed_response, without retrying`, async () => {
      server.handler = (_req, res) => testCase.respond(res)
      const { client, delays } = testClient(server)

      const error = await postproxyFailureOf(client.getMessage('msg_111'))

      expect(error).toMatchObject({ kind: 'malformed_response', status: 200, retryable: false })
      expect(error.userMessage).toMatch(/nothing was changed/)
      expect(server.requests).toHaveLength(1)
      expect(delays).toEqual([])
    })
  }

  it('rejects a chat page whose envelope lacks total and whose item lacks required fields, naming the paths', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 200, { page: 0, per_page: 20, data: [chatFixture({ participant_external_id: undefined })] })
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.listChats('prof_abc123'))

    expect(error.kind).toBe('malformed_response')
    expect(error.message).toContain('total')
    expect(error.message).toContain('data.0.participant_external_id')
  })

  it('rejects a delete answered with something other than {"deleted":true}', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { deleted: false })
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.deleteWebhook('wh_1'))).kind).toBe('malformed_response')
  })

  it('rejects a page whose data is not an array', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { ...page([]), data: {} })
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.listMessages('chat_xyz789'))).kind).toBe('malformed_response')
  })
})

describe('the API key never leaks', () => {
  it('is scrubbed when the server echoes it back in 401, 422 and HTML 500 bodies', async () => {
    const echo = (auth: string) => `Invalid credentials: ${auth}`
    const responders = [
      (auth: string, res: ServerResponse) => sendJson(res, 401, { error: echo(auth) }),
      (auth: string, res: ServerResponse) => sendJson(res, 422, { errors: [echo(auth)] }),
      (auth: string, res: ServerResponse) => sendText(res, 500, `<pre>${echo(auth)}</pre>`, 'text/html'),
      (auth: string, res: ServerResponse) => sendJson(res, 400, { status: 400, error: 'Bad Request', message: echo(auth) })
    ]
    for (const respond of responders) {
      server.handler = (req, res) => respond(String(req.headers.authorization), res)
      const { client } = testClient(server, { maxRetries: 0 })

      const error = await postproxyFailureOf(client.sendMessage('chat_xyz789', { body: 'hi' }))

      expect(everythingIn(error)).not.toContain(API_KEY)
      expect(everythingIn(error)).toContain('[redacted]')
    }
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true)
  })

  it('is absent from network, timeout, abort and malformed-response errors', async () => {
    const errors: PostproxyError[] = []
    errors.push(await postproxyFailureOf(createPostproxyClient({ baseUrl: UNSERVED_LOOPBACK_URL, apiKey: API_KEY, maxRetries: 0 }).listProfiles()))

    server.handler = () => undefined // never answers
    errors.push(await postproxyFailureOf(testClient(server, { maxRetries: 0, timeoutMs: 50 }).client.listProfiles()))
    errors.push(await postproxyFailureOf(testClient(server).client.listProfiles({ signal: AbortSignal.abort() })))

    server.handler = (req, res) => sendJson(res, 200, { data: [{ id: req.headers.authorization }] })
    errors.push(await postproxyFailureOf(testClient(server).client.listProfiles()))

    expect(errors.map((e) => e.kind)).toEqual(['network', 'timeout', 'aborted', 'malformed_response'])
    for (const error of errors) expect(everythingIn(error)).not.toContain(API_KEY)
  })

  it('refuses a key with a line break before sending anything, without echoing it', async () => {
    const badKey = `${API_KEY}\r\nX-Injected: 1`
    const client = createPostproxyClient({ baseUrl: server.baseUrl, apiKey: badKey })

    const error = await postproxyFailureOf(client.listProfiles())

    expect(error.kind).toBe('unauthorized')
    expect(error.userMessage).toBe('Add a valid Postproxy API key in Settings.')
    expect(everythingIn(error)).not.toContain(API_KEY)
    expect(server.requests).toHaveLength(0)
  })

  it('refuses an empty key from the keychain, and a keychain that fails, before sending anything', async () => {
    const empty = createPostproxyClient({ baseUrl: server.baseUrl, getApiKey: async () => '' })
    const broken = createPostproxyClient({
      baseUrl: server.baseUrl,
      getApiKey: async () => {
        throw new Error('keychain locked')
      }
    })

    expect(await postproxyFailureOf(empty.listProfiles())).toMatchObject({ kind: 'unauthorized', status: null })
    const brokenError = await postproxyFailureOf(broken.listProfiles())
    expect(brokenError.kind).toBe('unauthorized')
    expect(String(brokenError.cause)).toContain('keychain locked')
    expect(server.requests).toHaveLength(0)
  })
})
