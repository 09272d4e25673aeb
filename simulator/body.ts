// Reading and decoding request bodies. The body is read up to a limit and no further (a client
// cannot make the simulator buffer an unbounded upload), then decoded as JSON or multipart.
import type { IncomingMessage } from 'node:http'
import { MAX_MEDIA_BYTES } from '../shared/media-rules.ts'
import { badRequest, payloadTooLarge, unsupportedMediaType } from './http-errors.ts'
import { boundaryFromContentType, MultipartError, parseMultipart, type MultipartPart } from './multipart.ts'

/** Room for the largest media file base64-encoded in a JSON data URI (4/3 of it), plus the rest of the body. */
export const MAX_BODY_BYTES = Math.ceil((MAX_MEDIA_BYTES * 4) / 3) + 1024 * 1024

export type RequestBody =
  | { kind: 'none' }
  | { kind: 'json'; value: Record<string, unknown> }
  | { kind: 'multipart'; parts: MultipartPart[] }

/**
 * The whole body, up to `limitBytes`. Past the limit it rejects with a 413 and stops collecting
 * (the excess is never buffered); the caller decides what happens to the rest of the upload.
 */
export function readBody(request: IncomingMessage, limitBytes: number = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(payloadTooLarge(limitBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    const cleanup = () => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onError)
      request.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > limitBytes) {
        cleanup()
        reject(payloadTooLarge(limitBytes))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, received))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    const onClose = () => {
      cleanup()
      reject(new Error('The client closed the connection before sending the whole body.'))
    }
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', onError)
    request.on('close', onClose)
  })
}

export function decodeBody(contentTypeHeader: string | undefined, raw: Buffer): RequestBody {
  if (raw.length === 0) return { kind: 'none' }
  const contentType = (contentTypeHeader ?? '').trim()
  const mediaType = contentType.split(';')[0].trim().toLowerCase()
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return { kind: 'json', value: decodeJson(raw) }
  if (mediaType === 'multipart/form-data') {
    const boundary = boundaryFromContentType(contentType)
    if (!boundary) throw badRequest('The multipart/form-data Content-Type has no valid boundary.')
    try {
      return { kind: 'multipart', parts: parseMultipart(raw, boundary) }
    } catch (error) {
      if (error instanceof MultipartError) throw badRequest(error.message)
      throw error
    }
  }
  throw unsupportedMediaType(
    `Send the request body as application/json (or multipart/form-data to upload a file), not ${mediaType || 'without a Content-Type'}.`
  )
}

function decodeJson(raw: Buffer): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw))
  } catch {
    throw badRequest('The request body is not valid JSON.')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('The request body must be a JSON object.')
  }
  return parsed as Record<string, unknown>
}
