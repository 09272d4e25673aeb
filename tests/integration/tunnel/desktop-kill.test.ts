// The desktop killed at random points while events flow (SIGKILL of a child process running the tunnel on
// the same SQLite file), again and again: afterwards nothing is lost and nothing happened twice.
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, expect, it } from 'vitest'
import type { Message } from '../../../shared/postproxy.ts'
import { expectEveryEventAppliedOnce, expectIntactStore, killStrayDesktops, runDesktop, secretsForChild, type Kill } from './killable-desktop.ts'
import { tunnelWorld, type TunnelWorld } from './tunnel-world.ts'

// RELAY.md: "desktop killed at random points 100×".
const ROUNDS = 100
const EVENTS_PER_ROUND = 15

let world: TunnelWorld | undefined
afterEach(async () => {
  killStrayDesktops()
  await world?.close()
  world = undefined
})

it(`survives SIGKILL at ${ROUNDS} random points while events flow: no loss, no double effect`, async () => {
  world = await tunnelWorld()
  const { sim } = world
  const webhookId = world.pairing.webhookKeys()[0].webhookId
  // The children own the file while they run. (A connection kept open across other processes' writes can
  // also report stale FTS5 pages in integrity_check; a fresh connection sees the file as it is.)
  world.store.close()
  const secretsJson = await secretsForChild(world)
  let seed = 20_260_901
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

  const lines: string[] = []
  const sent: Message[] = []
  const outcomes: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    // Events keep arriving while the desktop starts, streams and dies.
    const flow = (async () => {
      for (let i = 0; i < EVENTS_PER_ROUND; i++) {
        sent.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: `igsid_crash_${(round * 7 + i) % 12}`, body: `round ${round} #${i}` }))
        await delay(Math.floor(random() * 20))
      }
    })()
    const kill: Kill = random() < 0.5 ? { afterLines: 1 + Math.floor(random() * EVENTS_PER_ROUND), startingWith: 'applied ' } : { afterMs: Math.floor(random() * 900) }
    outcomes.push(await runDesktop(world, secretsJson, kill, lines))
    await flow
    expectIntactStore(world, round)
  }
  // Kills hit both start-up and a running stream (right after a commit, with more frames in flight).
  expect(outcomes.filter((o) => o === 'mid-stream').length).toBeGreaterThanOrEqual(5)
  expect(outcomes.filter((o) => o === 'timer').length).toBeGreaterThanOrEqual(5)

  expect(sent).toHaveLength(ROUNDS * EVENTS_PER_ROUND)
  await expectEveryEventAppliedOnce(world, lines, sent, webhookId)
  // A bound, not a wait: half the rounds let the child start and connect before counting its lines, and
  // starting a child takes seconds on a loaded machine.
}, 900_000)
