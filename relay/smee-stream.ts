// `GET /smee/:device_token` (opt-in, `smeeStream: true` / `--smee`): the same channel served the way
// smee.io serves a channel, so off-the-shelf smee clients (probot/smee-client, gosmee) can be measured
// against our own protocol on the same relay and the same events.
//
// smee.io's format, as its server and smee-client's tests use it: a first `event: ready` with `{}`, then
// one default (`message`) event per webhook whose data is the request headers as an object with the
// parsed JSON body under `body`, the query under `query` and the arrival time in ms under `timestamp`;
// `event: ping` as keep-alive. smee-client re-serialises `body` with JSON.stringify before forwarding it,
// which is exactly why it breaks signatures; here that is the point of the comparison.
//
// Like smee.io, this stream is live-only: no backlog, no resume, no gap. Because a smee client cannot send
// an Authorization header, the device token sits in the URL; it is still revocable and scoped to one channel.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tokenDigest } from './auth.ts'
import type { HeaderPairs } from './forwarded-headers.ts'
import { httpError } from './http-responses.ts'
import type { StoredEvent } from './storage.ts'
import { serveEventStream, type StreamContext, type StreamFormat } from './stream.ts'

export function openSmeeStream(request: IncomingMessage, response: ServerResponse, deviceToken: string, context: StreamContext): void {
  const device = context.storage.deviceByToken(tokenDigest(deviceToken))
  if (!device || device.revokedAt !== null) throw httpError.notFound('There is no smee channel at this address.')
  serveEventStream(request, response, { channelId: device.channelId, deviceId: device.id, start: 'live' }, smeeFormat, context)
}

const smeeFormat: StreamFormat = {
  opening: () => 'event: ready\ndata: {}\n\n',
  event: (event) => `id: ${event.seq}\ndata: ${JSON.stringify(smeeMessage(event))}\n\n`,
  heartbeat: () => 'event: ping\ndata: {}\n\n',
  gap: null
}

export function smeeMessage(event: StoredEvent): Record<string, unknown> {
  const headers: Record<string, string> = {}
  for (const [name, value] of JSON.parse(event.headersJson) as HeaderPairs) headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  return { ...headers, body: smeeBody(event.body), query: {}, timestamp: event.receivedAt }
}

/** smee.io runs a JSON body parser: a JSON body arrives parsed, anything else as its text. */
function smeeBody(body: Buffer): unknown {
  const text = body.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
