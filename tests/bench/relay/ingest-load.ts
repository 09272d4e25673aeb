// Sustained ingest: correctly signed `message.received` webhooks, as Postproxy would send them, POSTed
// straight to the relay's ingest URL at a fixed offered rate (open loop). Latency runs from each request's
// due time to the end of the relay's answer — a 200 the relay sends only after its durable commit — so a
// relay that falls behind shows up as latency, not as a politely lower send rate.
//
// What the sender computes before the timed phase, and why that is fair: every webhook's body, its
// Postproxy signature (HMAC-SHA256 with the channel's secret) and the complete bytes of its HTTP request
// (prebuilt-http-client.ts). A real Postproxy signs on its own machines, not on the relay's cores; here the
// sender shares the relay's 2 cores, so signing and node:http's per-request machinery at send time (~420 µs
// of CPU per webhook measured, more than the relay's own cost) would measure the sender, not the relay. The
// relay still receives, parses and stores every request in full; the bodies are all different (own ids,
// own delivery id), and the desktop verifies every signature when it applies them (catch-up phase).
import { randomBytes } from 'node:crypto'
import { postproxySignatureHeader } from '../../../electron/inbox/postproxy/index.ts'
import type { Message } from '../../../shared/postproxy.ts'
import { summarize, type LatencySummary } from './latency.ts'
import { monotonicMs } from './monotonic-clock.ts'
import { PrebuiltHttpClient } from './prebuilt-http-client.ts'
import { runOpenLoop } from './open-loop.ts'

export interface IngestOptions {
  ingestUrl: string
  secret: string
  count: number
  ratePerSec: number
  /** A real message of the simulator: every crafted one is a copy with its own ids and text. */
  template: Message
  /** Chats the desktop already holds (so applying these later needs no REST call). */
  chatIds: string[]
}

export interface IngestResult {
  /** Due time -> answer received (includes any queueing in the sender or the relay). */
  latency: LatencySummary
  /** Request actually written -> answer received. */
  latencyFromSend: LatencySummary
  offeredEps: number
  /** 200s per second, from the first due time to the last answer. */
  achievedEps: number
  ok: number
  /** Count per non-200 status (0: a network error). */
  refused: Record<string, number>
  /** The highest seq the relay answered. */
  maxSeq: number
  messageIds: string[]
  bodyBytes: number
  senderMaxLateMs: number
  seconds: number
  /** CPU this process used during the timed phase (sending and reading answers; not building the requests). */
  senderCpuS: number
}

interface Webhook {
  messageId: string
  bodyBytes: number
  /** The whole HTTP request: request line, headers, signed body. */
  request: Buffer
}

/** Bodies shaped exactly as the simulator's dispatcher shapes them (the message under `message` and `object`). */
function craftWebhooks(options: IngestOptions, target: URL): Webhook[] {
  const run = randomBytes(4).toString('hex')
  const t = Math.floor(Date.now() / 1000)
  const createdAt = new Date().toISOString()
  return Array.from({ length: options.count }, (_, i) => {
    const message: Message = {
      ...options.template,
      id: `msg_ingest_${run}_${i}`,
      chat_id: options.chatIds[i % options.chatIds.length],
      external_id: `mid.ingest.${run}.${i}`,
      body: `Backlog message ${i}: hi! do you ship to Lisbon, and how long does it usually take?`,
      created_at: createdAt,
      external_posted_at: createdAt
    }
    const envelope = { id: `evt_ingest_${run}_${i}`, object: 'event', type: 'message.received', created_at: createdAt, data: { message, object: message } }
    const body = Buffer.from(JSON.stringify(envelope), 'utf8')
    const headers = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': 'Postproxy-Webhooks/1.0',
      'x-postproxy-event': 'message.received',
      'x-postproxy-delivery': `dlv_ingest_${run}_${i}`,
      'x-postproxy-signature': postproxySignatureHeader(options.secret, t, body)
    }
    return { messageId: message.id, bodyBytes: body.length, request: PrebuiltHttpClient.postBytes(target, headers, body) }
  })
}

export async function measureIngest(options: IngestOptions): Promise<IngestResult> {
  const target = new URL(options.ingestUrl)
  const webhooks = craftWebhooks(options, target)
  // Keep-alive like a real sender; a new connection whenever every open one is busy, so no due request waits.
  const client = new PrebuiltHttpClient(target)
  const fromDue: number[] = []
  const fromSend: number[] = []
  const refused: Record<string, number> = {}
  let ok = 0
  let maxSeq = 0
  let lastAnswerMs = 0
  const answers: Promise<void>[] = []
  const cpuBefore = process.cpuUsage()
  try {
    const run = await runOpenLoop(webhooks.length, options.ratePerSec, (index, dueMs) => {
      const sentMs = monotonicMs()
      answers.push(
        client.send(webhooks[index].request).then(({ status, body }) => {
          const answeredMs = monotonicMs()
          lastAnswerMs = Math.max(lastAnswerMs, answeredMs)
          fromDue.push(answeredMs - dueMs)
          fromSend.push(answeredMs - sentMs)
          if (status !== 200) {
            refused[status] = (refused[status] ?? 0) + 1
            return
          }
          ok++
          maxSeq = Math.max(maxSeq, (JSON.parse(body) as { seq: number }).seq)
        })
      )
    })
    await Promise.all(answers)
    const cpu = process.cpuUsage(cpuBefore)
    const seconds = (lastAnswerMs - run.startedMs) / 1000
    return {
      latency: summarize(fromDue),
      latencyFromSend: summarize(fromSend),
      offeredEps: options.ratePerSec,
      achievedEps: ok / seconds,
      ok,
      refused,
      maxSeq,
      messageIds: webhooks.map((webhook) => webhook.messageId),
      bodyBytes: webhooks[0]?.bodyBytes ?? 0,
      senderMaxLateMs: run.maxLateMs,
      seconds,
      senderCpuS: (cpu.user + cpu.system) / 1e6
    }
  } finally {
    client.close()
  }
}
