// e2e latency: from the moment the simulator POSTs a signed `message.received` webhook to the moment the
// desktop has committed it to its SQLite file (the tunnel's `changes` event is emitted right after that
// commit). Both instants are read on the shared monotonic clock, in two different processes.
import type { Message } from '../../../shared/postproxy.ts'
import type { AppliedChanges } from '../../../electron/inbox/tunnel/event-applier.ts'
import type { Tunnel } from '../../../electron/inbox/tunnel/tunnel.ts'
import { until } from '../../integration/tunnel/tunnel-world.ts'
import { summarize, type LatencySummary } from './latency.ts'
import { monotonicMs } from './monotonic-clock.ts'
import type { InjectedEvent, SimulatorProcess } from './simulator-process.ts'

export interface EndToEndOptions {
  ratePerSec: number
  seconds: number
  participants: number
  warmUpEvents: number
}

export interface EndToEndResult {
  /** POST by the simulator -> committed in the desktop's SQLite. */
  e2e: LatencySummary
  /** POST by the simulator -> the relay's 200 (its durable commit included): the relay's share of e2e. */
  ingestAnswer: LatencySummary
  /** The relay's 200 reached the simulator -> committed on the desktop (streaming, verifying, applying). */
  afterAnswer: LatencySummary
  sent: number
  /** Events the relay did not answer 200 for, or the desktop had not committed 15 s after the last POST. */
  notCommitted: number
  refusedByRelay: number
  simulatorMaxLateMs: number
  /** A message as the simulator sends it, and the chats the desktop now knows: templates for later phases. */
  sample: Message
  chatIds: string[]
}

const SETTLE_MS = 15_000

export async function measureEndToEnd(sim: SimulatorProcess, tunnel: Tunnel, options: EndToEndOptions): Promise<EndToEndResult> {
  const committedAt = new Map<string, number>()
  const onChanges = (changes: AppliedChanges): void => {
    const at = monotonicMs()
    for (const id of changes.messageIds) if (!committedAt.has(id)) committedAt.set(id, at)
  }
  const allCommitted = async (events: InjectedEvent[]): Promise<void> => {
    await until(tunnel, ['changes'], () => events.every((event) => committedAt.has(event.messageId)), SETTLE_MS, 'every event to be committed').catch(() => undefined)
  }
  tunnel.on('changes', onChanges)
  try {
    // Warm-up, not measured: each participant's first message opens a chat the desktop fetches once over
    // REST; then the JIT and the connection pools settle.
    const warmUp = await sim.inject(
      { count: options.warmUpEvents, ratePerSec: options.ratePerSec, participantPrefix: 'buyer', participants: options.participants },
      options.warmUpEvents * 1000
    )
    await allCommitted(warmUp.events)

    const count = options.ratePerSec * options.seconds
    const run = await sim.inject({ count, ratePerSec: options.ratePerSec, participantPrefix: 'buyer', participants: options.participants }, options.seconds * 1000 + 30_000)
    await allCommitted(run.events)

    const e2e: number[] = []
    const ingestAnswer: number[] = []
    const afterAnswer: number[] = []
    let notCommitted = 0
    let refusedByRelay = 0
    for (const event of run.events) {
      if (event.status !== 200) refusedByRelay++
      if (event.postedMs !== null && event.answeredMs !== null) ingestAnswer.push(event.answeredMs - event.postedMs)
      const committed = committedAt.get(event.messageId)
      if (committed === undefined || event.postedMs === null) notCommitted++
      else e2e.push(committed - event.postedMs)
      if (committed !== undefined && event.answeredMs !== null) afterAnswer.push(committed - event.answeredMs)
    }
    return {
      e2e: summarize(e2e),
      ingestAnswer: summarize(ingestAnswer),
      afterAnswer: summarize(afterAnswer),
      sent: count,
      notCommitted,
      refusedByRelay,
      simulatorMaxLateMs: run.maxLateMs,
      sample: run.sample,
      chatIds: [...new Set(run.events.map((event) => event.chatId))]
    }
  } finally {
    tunnel.off('changes', onChanges)
  }
}
