// One `webhook` frame of the relay stream, judged before anything is applied (RELAY.md, "The desktop's
// side"): decode the raw body -> check its SHA-256 -> verify X-Postproxy-Signature over exactly those
// bytes with every webhook secret in force -> freshness against the relay's `received_at` (not now: an
// event that waited days in the relay is genuine; a captured request re-POSTed later gets a new
// `received_at` and fails) -> parse the envelope.
//
// Pure: no I/O, no clock. The relay is trusted with nothing but transport — the signature is what makes
// an event believable.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { WebhookEnvelopeSchema, type WebhookEnvelope } from '../../../shared/postproxy.ts'
import { DEFAULT_SIGNATURE_TOLERANCE_SEC, verifyPostproxySignature, type SignatureFailureReason } from '../postproxy/signature.ts'

/** The frame format version this client understands (relay/sse-frames.ts). */
export const SUPPORTED_FRAME_VERSION = 1

const FrameSchema = z.object({
  v: z.number().int(),
  seq: z.number().int().nonnegative().refine(Number.isSafeInteger),
  channel: z.string().optional(),
  received_at: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body_b64: z.string(),
  body_sha256: z.string().regex(/^[0-9a-f]{64}$/i)
})

export type RejectionReason = SignatureFailureReason | 'body_digest'

export type FrameVerdict =
  /** Genuine and fresh: apply it. */
  | { kind: 'verified'; seq: number; envelope: WebhookEnvelope; receivedAt: string }
  /** Not believable: never applied, counted and shown. */
  | { kind: 'rejected'; seq: number; reason: RejectionReason }
  /** The frame or the (genuine) body cannot be read: skipped safely. `seq` is null when even that is unknown. */
  | { kind: 'unreadable'; seq: number | null; detail: string }

export interface VerifyFrameInput {
  /** The frame's `data`. */
  data: string
  /** The SSE id of the frame ('' when absent); a frame whose id disagrees with its seq is unreadable. */
  lastEventId: string
  secrets: readonly string[]
  toleranceSec?: number
}

export function verifyWebhookFrame(input: VerifyFrameInput): FrameVerdict {
  const idSeq = /^\d+$/.test(input.lastEventId) ? Number(input.lastEventId) : null
  let json: unknown
  try {
    json = JSON.parse(input.data)
  } catch {
    return { kind: 'unreadable', seq: idSeq, detail: 'the frame is not JSON' }
  }
  const frame = FrameSchema.safeParse(json)
  if (!frame.success) return { kind: 'unreadable', seq: idSeq, detail: 'the frame does not have the expected fields' }
  const { seq } = frame.data
  if (idSeq !== null && idSeq !== seq) return { kind: 'unreadable', seq: Math.max(idSeq, seq), detail: `the frame id ${idSeq} disagrees with its seq ${seq}` }
  if (frame.data.v !== SUPPORTED_FRAME_VERSION) return { kind: 'unreadable', seq, detail: `frame version ${frame.data.v} is not supported` }

  const body = Buffer.from(frame.data.body_b64, 'base64')
  const digest = createHash('sha256').update(body).digest('hex')
  if (digest !== frame.data.body_sha256.toLowerCase()) return { kind: 'rejected', seq, reason: 'body_digest' }

  const signatureHeaders = headerValues(frame.data.headers, 'x-postproxy-signature')
  // Two signature headers would let a sender smuggle one past a verifier that reads the other.
  if (signatureHeaders.length > 1) return { kind: 'rejected', seq, reason: 'malformed' }
  const signature = verifyPostproxySignature({
    header: signatureHeaders[0] ?? null,
    rawBody: body,
    secrets: input.secrets,
    referenceTimeMs: Date.parse(frame.data.received_at),
    toleranceSec: input.toleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC
  })
  if (!signature.ok) return { kind: 'rejected', seq, reason: signature.reason }

  let envelopeJson: unknown
  try {
    envelopeJson = JSON.parse(body.toString('utf8'))
  } catch {
    return { kind: 'unreadable', seq, detail: 'the signed body is not JSON' }
  }
  const envelope = WebhookEnvelopeSchema.safeParse(envelopeJson)
  if (!envelope.success) return { kind: 'unreadable', seq, detail: 'the signed body is not a webhook event' }
  return { kind: 'verified', seq, envelope: envelope.data, receivedAt: frame.data.received_at }
}

/** Header names arrive lower-cased from the relay; compared case-insensitively anyway. */
function headerValues(headers: ReadonlyArray<readonly [string, string]>, name: string): string[] {
  return headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value)
}
