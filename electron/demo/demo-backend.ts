// Demo mode: the embedded Postproxy simulator on loopback, with a believable, living creator inbox.
// This is the one place in the app that starts the simulator (see the import boundaries).
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { startSimulator } from '../../simulator/index.ts'
import type { DemoBackend } from '../inbox/inbox.ts'

export interface DemoBackendOptions {
  /** Personas keep writing, reacting and reading while the demo runs. */
  alive?: boolean
  aliveIntervalMs?: number
}

/** Starts (or reopens, with its data file) the demo simulator in `dataDir`. */
export async function startDemoBackend(dataDir: string, options: DemoBackendOptions = {}): Promise<DemoBackend & { account: string }> {
  mkdirSync(dataDir, { recursive: true })
  const simulator = await startSimulator({
    scenario: 'demo',
    dataFile: join(dataDir, 'simulator.db'),
    alive: options.alive ?? true,
    aliveIntervalMs: options.aliveIntervalMs,
    publishDelayMs: 800
  })
  return { baseUrl: simulator.url, apiKey: simulator.apiKey, account: simulator.account, close: () => simulator.close() }
}
