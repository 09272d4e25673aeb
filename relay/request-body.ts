// Reading a request body up to a limit and not one byte further. The limit is checked as chunks arrive
// (a declared Content-Length over it is refused before reading anything); past the limit the request is
// paused and the relay answers 413 and closes the connection (http-responses.ts), so the excess is
// neither buffered nor read.
import type { IncomingMessage } from 'node:http'
import { httpError } from './http-responses.ts'

/** The sender went away before its body was complete: there is nobody left to answer. */
export class RequestAbortedError extends Error {
  constructor() {
    super('The sender closed the connection before the request body was complete.')
    this.name = 'RequestAbortedError'
  }
}

/** The Content-Length the sender declared, or null for a chunked body (Node has already refused a malformed one). */
export function declaredBodyLength(request: IncomingMessage): number | null {
  const declared = request.headers['content-length']
  return declared === undefined ? null : Number(declared)
}

export function readBodyWithin(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = declaredBodyLength(request)
  if (declared !== null && declared > limitBytes) return Promise.reject(httpError.payloadTooLarge(limitBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    const cleanup = (): void => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onAborted)
      request.off('close', onClose)
    }
    const onData = (chunk: Buffer): void => {
      received += chunk.length
      if (received > limitBytes) {
        cleanup()
        chunks.length = 0
        request.pause()
        reject(httpError.payloadTooLarge(limitBytes))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(Buffer.concat(chunks, received))
    }
    const onAborted = (): void => {
      cleanup()
      reject(new RequestAbortedError())
    }
    const onClose = (): void => {
      if (!request.complete) onAborted()
    }
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', onAborted)
    request.on('close', onClose)
  })
}

/** A small JSON object body (admin and ack calls); an empty body reads as `{}`. */
export async function readJsonObject(request: IncomingMessage, limitBytes = 16 * 1024): Promise<Record<string, unknown>> {
  const raw = await readBodyWithin(request, limitBytes)
  if (raw.length === 0) return {}
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (mediaType !== 'application/json') {
    throw httpError.unsupportedMediaType('Send the request body as JSON, with Content-Type: application/json.')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  } catch {
    throw httpError.badRequest('The request body is not valid JSON.')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw httpError.badRequest('The request body must be a JSON object.')
  }
  return parsed as Record<string, unknown>
}
