// Demo mode: the embedded Postproxy simulator and webhook relay on loopback, with a believable,
// living creator inbox, running the real pipeline: simulator -> signed webhook -> relay -> SSE ->
// verify -> SQLite -> UI. This is the one place in the app that starts them (see the boundaries).
import { join } from 'node:path'
import { startRelay } from '../../relay/index.ts'
import { startSimulator } from '../../simulator/index.ts'
import type { DemoBackend } from '../inbox/inbox.ts'
import { ensurePrivateDir } from '../inbox/private-files.ts'

export interface DemoBackendOptions {
  /** Personas keep writing, reacting and reading while the demo runs. */
  alive?: boolean
  aliveIntervalMs?: number
}

/** Starts (or reopens, with its data file) the demo simulator in `dataDir`. */
export async function startDemoBackend(dataDir: string, options: DemoBackendOptions = {}): Promise<DemoBackend & { account: string }> {
  ensurePrivateDir(dataDir)
  const simulator = await startSimulator({
    scenario: 'demo',
    dataFile: join(dataDir, 'simulator.db'),
    alive: options.alive ?? true,
    aliveIntervalMs: options.aliveIntervalMs,
    publishDelayMs: 800
  })
  try {
    // On loopback, for this computer only: its slow-sender deadlines need no checking every second, and
    // an app left open in the demo should not wake up every second for it.
    const relay = await startRelay({ dataDir: join(dataDir, 'relay'), log: () => {}, deadlineCheckIntervalMs: 30_000 })
    return {
      baseUrl: simulator.url,
      apiKey: simulator.apiKey,
      account: simulator.account,
      relay: { url: relay.url, adminToken: relay.adminToken },
      close: async () => {
        await simulator.close()
        await relay.close()
      }
    }
  } catch (error) {
    await simulator.close()
    throw error
  }
}
