// Catch-up: the desktop was offline while a backlog piled up in the relay; from the moment its tunnel
// starts, how long until every backlog event is verified, applied and committed (the store's cursor at
// the relay's head), and is every one of them really in the store.
import type { InboxStore } from '../../../electron/inbox/store/index.ts'
import type { FrameOutcome } from '../../../electron/inbox/tunnel/relay-client.ts'
import type { Tunnel } from '../../../electron/inbox/tunnel/tunnel.ts'
import { until } from '../../integration/tunnel/tunnel-world.ts'
import { monotonicMs } from './monotonic-clock.ts'

export interface CatchUpResult {
  /** tunnel.start() -> the frame at the relay's head committed. */
  seconds: number
  reachedHead: boolean
  outcomes: Record<string, number>
  /** Backlog messages not in the store afterwards. */
  missing: number
}

export async function measureCatchUp(tunnel: Tunnel, store: InboxStore, head: number, messageIds: readonly string[], timeoutMs: number): Promise<CatchUpResult> {
  const outcomes: Record<string, number> = {}
  let lastSeq = store.webhookEvents.cursor() ?? 0
  let doneMs = 0
  const onFrame = (frame: FrameOutcome): void => {
    outcomes[frame.result] = (outcomes[frame.result] ?? 0) + 1
    if (frame.seq !== null) lastSeq = Math.max(lastSeq, frame.seq)
    if (lastSeq >= head && doneMs === 0) doneMs = monotonicMs()
  }
  tunnel.on('frame', onFrame)
  const startedMs = monotonicMs()
  let reachedHead = true
  try {
    await tunnel.start()
    await until(tunnel, ['frame'], () => lastSeq >= head, timeoutMs, `the desktop to catch up to seq ${head}`).catch(() => (reachedHead = false))
  } finally {
    tunnel.off('frame', onFrame)
  }
  const missing = messageIds.filter((id) => store.messages.getMessage(id) === null).length
  return { seconds: ((reachedHead && doneMs > 0 ? doneMs : monotonicMs()) - startedMs) / 1000, reachedHead, outcomes, missing }
}
