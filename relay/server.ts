// The relay's HTTP surface: routes each request to its handler, and turns what handlers throw into
// answers (a RelayHttpError into its status and sentence, anything else into a logged 500).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import * as admin from './admin-api.ts'
import { authenticateAdmin } from './auth.ts'
import type { ChannelHub } from './channel-hub.ts'
import type { CommitQueue } from './commit-queue.ts'
import { guardConnections } from './connection-guard.ts'
import { acknowledge, openEventStream } from './device-api.ts'
import { httpError, RelayHttpError, sendError, sendJson } from './http-responses.ts'
import { handleIngest, handleMetaVerification } from './ingest.ts'
import { countRefusal, type RelayMetrics } from './metrics.ts'
import type { RelayConfig } from './options.ts'
import type { IngestRateLimiter } from './rate-limit.ts'
import { RequestAbortedError } from './request-body.ts'
import { openSmeeStream } from './smee-stream.ts'
import type { RelayStorage } from './storage.ts'

export interface RelayServerContext {
  storage: RelayStorage
  hub: ChannelHub
  queue: CommitQueue
  rateLimiter: IngestRateLimiter | null
  config: RelayConfig
  metrics: RelayMetrics
  adminToken: string
  publicBaseUrl(): string
}

type Handler = (request: IncomingMessage, response: ServerResponse, params: string[]) => void | Promise<void>

interface Route {
  pattern: RegExp
  methods: Partial<Record<string, Handler>>
}

const SEGMENT = '([A-Za-z0-9_-]{1,200})'

export function createRelayServer(context: RelayServerContext): Server {
  const routes = buildRoutes(context)
  const { headersTimeoutMs, requestTimeoutMs, deadlineCheckIntervalMs, maxConnections } = context.config
  const server = createServer(
    {
      // Slow senders are cut: headers (slowloris) and whole requests (slow-drip bodies) each have a deadline.
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node checks those deadlines on this interval (30 s by default, which let a half-open socket live
      // 75 s): by default often enough that a timeout means what it says (options.ts).
      connectionsCheckingInterval: deadlineCheckIntervalMs
    },
    (request, response) => {
      void dispatch(routes, request, response, context)
    }
  )
  guardConnections(server, maxConnections, context.metrics)
  return server
}

function buildRoutes(context: RelayServerContext): Route[] {
  const asAdmin =
    (handler: Handler): Handler =>
    (request, response, params) => {
      authenticateAdmin(request, context.adminToken)
      return handler(request, response, params)
    }
  const routes: Route[] = [
    // First: every webhook takes this route, so it is tried before the others.
    {
      pattern: new RegExp(`^/h/${SEGMENT}$`),
      methods: {
        POST: (request, response, [token]) => handleIngest(request, response, token, context),
        GET: (request, response, [token]) => handleMetaVerification(request, response, token, context)
      }
    },
    {
      pattern: /^\/healthz$/,
      methods: {
        GET: (_request, response) => {
          context.storage.relayHead() // answers only if the database does
          sendJson(response, 200, { ok: true })
        }
      }
    },
    {
      pattern: /^\/v1\/metrics$/,
      methods: { GET: asAdmin((_request, response) => sendJson(response, 200, { ...context.metrics, open_streams: context.hub.openStreams })) }
    },
    {
      pattern: /^\/v1\/channels$/,
      methods: { POST: asAdmin((request, response) => admin.createChannel(request, response, context)) }
    },
    {
      pattern: new RegExp(`^/v1/channels/${SEGMENT}$`),
      methods: {
        GET: asAdmin((_request, response, [channelId]) => admin.describeChannel(response, channelId, context)),
        DELETE: asAdmin((_request, response, [channelId]) => admin.deleteChannel(response, channelId, context))
      }
    },
    {
      pattern: new RegExp(`^/v1/channels/${SEGMENT}/devices$`),
      methods: { POST: asAdmin((request, response, [channelId]) => admin.createDevice(request, response, channelId, context)) }
    },
    {
      pattern: new RegExp(`^/v1/channels/${SEGMENT}/devices/${SEGMENT}$`),
      methods: { DELETE: asAdmin((_request, response, [channelId, deviceId]) => admin.revokeDevice(response, channelId, deviceId, context)) }
    },
    {
      pattern: new RegExp(`^/v1/channels/${SEGMENT}/rotate-ingest$`),
      methods: { POST: asAdmin((request, response, [channelId]) => admin.rotateIngestToken(request, response, channelId, context)) }
    },
    {
      pattern: new RegExp(`^/v1/channels/${SEGMENT}/events$`),
      methods: { GET: (request, response, [channelId]) => openEventStream(request, response, channelId, context) }
    },
    {
      pattern: new RegExp(`^/v1/channels/${SEGMENT}/ack$`),
      methods: { POST: (request, response, [channelId]) => acknowledge(request, response, channelId, context) }
    }
  ]
  if (context.config.smeeStream) {
    routes.push({
      pattern: new RegExp(`^/smee/${SEGMENT}$`),
      methods: { GET: (request, response, [token]) => openSmeeStream(request, response, token, context) }
    })
  }
  return routes
}

async function dispatch(routes: Route[], request: IncomingMessage, response: ServerResponse, context: RelayServerContext): Promise<void> {
  const url = request.url ?? '/'
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  try {
    // One regex run per route tried (the ingest route, the hot one, comes first).
    let route: Route | undefined
    let match: RegExpExecArray | null = null
    for (const candidate of routes) {
      match = candidate.pattern.exec(path)
      if (match) {
        route = candidate
        break
      }
    }
    if (!route || !match) throw httpError.notFound()
    const handler = route.methods[request.method ?? '']
    if (!handler) throw httpError.methodNotAllowed(Object.keys(route.methods))
    await handler(request, response, match.slice(1))
  } catch (error) {
    if (error instanceof RequestAbortedError) {
      response.destroy()
      return
    }
    const httpFailure =
      error instanceof RelayHttpError
        ? error
        : new RelayHttpError(500, 'The relay failed to handle this request; the operator can find the cause in its log.')
    if (!(error instanceof RelayHttpError)) {
      context.config.log(`${request.method} ${path.replace(/^\/h\/.*/, '/h/…')} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    }
    if (path.startsWith('/h/') && request.method === 'POST') countRefusal(context.metrics, httpFailure.status)
    sendError(request, response, httpFailure)
  }
}
