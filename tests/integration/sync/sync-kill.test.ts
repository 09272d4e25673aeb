// A sync killed with SIGKILL at random points leaves a sound database, and the next sync converges.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, expect, it } from 'vitest'
import { openStore } from '../../../electron/inbox/store/index.ts'
import { InboxSync } from '../../../electron/inbox/sync/inbox-sync.ts'
import { cacheView, groundTruth, syncWorld, type SyncWorld } from './sync-fixtures.ts'

let world: SyncWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

/** Runs the child until it has printed `killAfterLines` lines (then SIGKILLs it) or exits. */
function runChild(world: SyncWorld, killAfterLines: number): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'sync-child.ts'), world.sim.url, world.sim.apiKey, world.sim.profileId, world.storePath], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let lines = 0
  let killed = false
  createInterface({ input: child.stdout! }).on('line', () => {
    if (++lines >= killAfterLines && !killed) {
      killed = true
      child.kill('SIGKILL')
    }
  })
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(guard)
      if (signal === 'SIGKILL') resolve('killed')
      else if (code === 0) resolve('finished')
      else reject(new Error(`sync child exited with ${code}`))
    })
  })
}

it('survives SIGKILL at 20 random points: integrity_check ok and the next sync converges', async () => {
  world = await syncWorld({ scenario: 'scale', chats: 120, messagesPerChat: 25, seed: 42 })
  // The parent's own store handle would hold the file open across kills; the children own it.
  world.store.close()
  const { sim } = world
  let seed = 1234567
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const outcomes: string[] = []
  const chats = sim.control.listChats(sim.account, sim.profileId)
  for (let round = 0; round < 20; round++) {
    // New messages in 30 chats (some new) give the incremental syncs after the first real work to die in.
    sim.clock.advance(1_000)
    for (let i = 0; i < 30; i++) {
      const participant = i < 25 ? chats[Math.floor(random() * chats.length)].participant_external_id : `igsid_crash_${round}_${i}`
      sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: participant, body: `round ${round} message ${i}` })
    }
    // An initial sync prints ~370 lines, an incremental one ~60: kill anywhere in either.
    outcomes.push(await runChild(world, 1 + Math.floor(random() * (round === 0 ? 370 : 60))))
    const store = openStore(world.storePath)
    expect(store.integrityCheck(), `round ${round}`).toEqual(['ok'])
    store.close()
  }
  expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThanOrEqual(15)

  const store = openStore(world.storePath)
  try {
    const sync = new InboxSync({ client: world.client, store, profileId: sim.profileId, messageDepth: 20 })
    await sync.sync()
    expect(cacheView(store, sim.profileId, 20)).toEqual(groundTruth(world, 20))
  } finally {
    store.close()
  }
  world.store = openStore(world.storePath) // closed again by afterEach
}, 180_000)
