// The simulator's process for the relay bench (see simulator-process.ts). On `inject` it makes N
// participants write at a fixed rate; the simulator signs and POSTs each `message.received` webhook itself.
// fetch is wrapped to note, per webhook, when the POST left and when the relay answered, on the shared
// monotonic clock: the simulator's dispatcher calls fetch synchronously inside injectInbound, so the POST
// noted during that call is the one of that message.
import { startSimulator } from '../../../simulator/index.ts'
import type { Message } from '../../../shared/postproxy.ts'
import { monotonicMs } from './monotonic-clock.ts'
import { runOpenLoop } from './open-loop.ts'
import type { ChildReply, ChildRequest, InjectReport, InjectRequest } from './simulator-process.ts'

interface NotedPost {
  postedMs: number
  answer: Promise<{ status: number; answeredMs: number }>
}

// A small retry scale: a delivery the relay did not take is tried again within a second, not a minute.
const sim = await startSimulator({ scenario: 'empty', seed: 7, retryDelayScale: 0.01 })

let notedPost: NotedPost | null = null
const realFetch = globalThis.fetch
globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const postedMs = monotonicMs()
  const response = realFetch(input, init)
  if (init?.method === 'POST' && String(input).includes('/h/') && notedPost === null) {
    notedPost = {
      postedMs,
      answer: response.then(
        (answered) => ({ status: answered.status, answeredMs: monotonicMs() }),
        () => ({ status: 0, answeredMs: monotonicMs() })
      )
    }
  }
  return response
}) as typeof fetch

function send(reply: ChildReply): void {
  process.send!(reply)
}

async function inject(request: InjectRequest): Promise<InjectReport> {
  const posts: (NotedPost | null)[] = []
  const messages: Message[] = []
  const run = await runOpenLoop(request.count, request.ratePerSec, (index) => {
    notedPost = null
    const participant = `${request.participantPrefix}_${index % request.participants}`
    messages.push(
      sim.control.injectInbound(sim.account, sim.profileId, {
        participant_external_id: `igsid_${participant}`,
        participant_username: participant,
        body: `Message ${index} from ${participant}: is the blue one still in stock in a medium?`
      })
    )
    posts.push(notedPost)
  })
  const answers = await Promise.all(posts.map((post) => post?.answer ?? null))
  // Retries of refused deliveries (there should be none) finish too, so the relay has every event.
  await sim.webhooks.idle(2000)
  return {
    events: messages.map((message, index) => ({
      messageId: message.id,
      chatId: message.chat_id,
      postedMs: posts[index]?.postedMs ?? null,
      answeredMs: answers[index]?.answeredMs ?? null,
      status: answers[index]?.status ?? null
    })),
    sample: messages[messages.length - 1],
    maxLateMs: run.maxLateMs
  }
}

process.on('message', (message: ChildRequest) => {
  if (message.kind === 'close') {
    void sim.close().finally(() => process.exit(0))
    return
  }
  inject(message.request).then(
    (report) => send({ kind: 'injected', id: message.id, report }),
    (error: unknown) => send({ kind: 'failed', id: message.id, error: error instanceof Error ? error.message : String(error) })
  )
})
// The bench process went away without saying goodbye: do not linger.
process.on('disconnect', () => void sim.close().finally(() => process.exit(0)))

send({ kind: 'ready', url: sim.url, apiKey: sim.apiKey, profileId: sim.profileId })
