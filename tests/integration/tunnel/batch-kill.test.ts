// Batched apply under SIGKILL: a backlog piles up in the relay while the desktop is away, then a desktop
// starts, commits the frames that arrived together in one transaction each, and is killed — right after a
// batch committed, or at a random moment (often inside a transaction, or between the commit and the ack).
// Again and again: afterwards nothing is lost, nothing happened twice, the file is sound, and the
// backlog really went through in batches.
import { afterEach, expect, it } from 'vitest'
import type { Message } from '../../../shared/postproxy.ts'
import { expectEveryEventAppliedOnce, expectIntactStore, killStrayDesktops, runDesktop, secretsForChild, type Kill } from './killable-desktop.ts'
import { tunnelWorld, type TunnelWorld } from './tunnel-world.ts'

const ROUNDS = 12
const BACKLOG_PER_ROUND = 120
/** However slow a loaded machine is to commit the first batch of a waiting backlog after connecting. */
const FIRST_BATCH_LIMIT_MS = 30_000

let world: TunnelWorld | undefined
afterEach(async () => {
  killStrayDesktops()
  await world?.close()
  world = undefined
})

it(`applies a backlog in batches, exactly once, across ${ROUNDS} kills at batch boundaries and inside batches`, async () => {
  world = await tunnelWorld()
  const { sim } = world
  const webhookId = world.pairing.webhookKeys()[0].webhookId
  world.store.close()
  const secretsJson = await secretsForChild(world)
  let seed = 20_261_206
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

  const lines: string[] = []
  const sent: Message[] = []
  const outcomes: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    // The desktop is away: the backlog is stored in the relay before it comes back.
    for (let i = 0; i < BACKLOG_PER_ROUND; i++) {
      sent.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: `igsid_batch_${(round * 5 + i) % 9}`, body: `backlog ${round} #${i}` }))
    }
    await sim.webhooks.idle()
    // Right after the first batch committed (there always is one: the backlog is waiting), or at a random
    // moment. Not after the second: how many batches a backlog makes depends on how fast the machine reads
    // the stream (a busy one hands over bigger ones), and a kill that never comes would turn into a timer.
    const kill: Kill =
      random() < 0.5 ? { afterLines: 1, startingWith: 'committed ', fallbackMs: FIRST_BATCH_LIMIT_MS } : { afterMs: 300 + Math.floor(random() * 1200) }
    outcomes.push(await runDesktop(world, secretsJson, kill, lines))
    expectIntactStore(world, round)
  }
  expect(outcomes.filter((o) => o === 'mid-stream').length).toBeGreaterThanOrEqual(2)
  expect(outcomes.filter((o) => o === 'timer').length).toBeGreaterThanOrEqual(2)

  // The backlog went through in batches, not frame by frame.
  const batchSizes = lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.split(' ')[1]))
  expect(batchSizes.length).toBeGreaterThan(0)
  expect(Math.max(...batchSizes)).toBeGreaterThan(10)

  expect(sent).toHaveLength(ROUNDS * BACKLOG_PER_ROUND)
  await expectEveryEventAppliedOnce(world, lines, sent, webhookId)
}, 300_000)
