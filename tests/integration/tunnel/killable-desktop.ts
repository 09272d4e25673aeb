// A desktop's tunnel in a child process (tunnel-child.ts) on the world's SQLite file, SIGKILLed when a test
// says: after its Nth line starting with a given word (`applied`, `committed`), or after a time. For the
// kill tests: afterwards nothing may be lost and nothing may have happened twice.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect } from 'vitest'
import type { Message, WebhookDelivery } from '../../../shared/postproxy.ts'
import { openStore } from '../../../electron/inbox/store/index.ts'
import type { TunnelWorld } from './tunnel-world.ts'

const CHILD = join(import.meta.dirname, 'tunnel-child.ts')

/** `fallbackMs`: how long after connecting a line-counted kill waits for its lines before it kills anyway. */
export type Kill = { afterLines: number; startingWith: 'applied ' | 'committed '; fallbackMs?: number } | { afterMs: number }

const children = new Set<ReturnType<typeof spawn>>()

/** For afterEach: any child a failed test left running. */
export function killStrayDesktops(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
}

/** The world's keychain as the child's TUNNEL_SECRETS. */
export async function secretsForChild(world: TunnelWorld): Promise<string> {
  const { secrets } = world
  return JSON.stringify(Object.fromEntries(await Promise.all((await secrets.names()).map(async (name) => [name, await secrets.get(name)]))))
}

/** A line-counted kill falls back to a timer this long after the child connected, when fewer lines come. */
const LINES_FALLBACK_MS = 1500
/** However slow a loaded machine is to start the child. */
const START_UP_LIMIT_MS = 60_000

/**
 * Runs one desktop until `kill` says, then SIGKILLs it; collects the lines it printed. Resolves with what
 * triggered the kill. A timed kill counts from the start (it may hit start-up); a line-counted one falls
 * back to a timer that counts from the connection, so a machine slow to start the child does not turn it
 * into a start-up kill.
 */
export function runDesktop(world: TunnelWorld, secretsJson: string, kill: Kill, lines: string[]): Promise<'mid-stream' | 'timer'> {
  const child = spawn(process.execPath, [CHILD, world.storePath, world.sim.url, world.sim.apiKey], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TUNNEL_SECRETS: secretsJson }
  })
  children.add(child)
  let counted = 0
  let trigger: 'mid-stream' | 'timer' = 'timer'
  const killNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  let timer = setTimeout(killNow, 'afterMs' in kill ? kill.afterMs : START_UP_LIMIT_MS)
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    if (!('afterLines' in kill)) return
    if (line === 'connected' && counted === 0) {
      clearTimeout(timer)
      timer = setTimeout(killNow, kill.fallbackMs ?? LINES_FALLBACK_MS)
    }
    if (line.startsWith(kill.startingWith) && ++counted === kill.afterLines) {
      trigger = 'mid-stream'
      killNow()
    }
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      if (signal === 'SIGKILL') resolve(trigger)
      else reject(new Error(`the tunnel child exited by itself (${code})`))
    })
  })
}

/** SQLite's own check of the file after a kill, on a fresh connection (one kept open across other processes' writes can report stale FTS5 pages). */
export function expectIntactStore(world: TunnelWorld, round: number): void {
  const check = openStore(world.storePath)
  try {
    expect(check.integrityCheck(), `round ${round}`).toEqual(['ok'])
  } finally {
    check.close()
  }
}

/**
 * After the killed desktops: one more start, left running, catches up from the cursor the dead ones left;
 * then every event the simulator delivered is processed exactly once, every message is stored with its
 * text, no message was notified twice, and the cursor is at the relay's head.
 */
export async function expectEveryEventAppliedOnce(world: TunnelWorld, lines: readonly string[], sent: readonly Message[], webhookId: string): Promise<void> {
  const store = openStore(world.storePath)
  const t = await world.startTunnel({ store })
  await world.settle(t, 30_000)

  const appliedIds = [
    ...lines.filter((l) => l.startsWith('applied ')).map((l) => l.split(' ')[1]),
    ...t.frames.filter((f) => f.result === 'applied').map((f) => (f as { eventId: string }).eventId)
  ]
  // No event applied twice, no message notified twice.
  expect(new Set(appliedIds).size).toBe(appliedIds.length)
  const notified = [
    ...lines.filter((l) => l.startsWith('notify ')).map((l) => l.split(' ')[1]),
    ...t.frames.flatMap((f) => (f.result === 'applied' ? f.changes.newInbound.map((ref) => ref.id) : []))
  ]
  expect(new Set(notified).size).toBe(notified.length)

  // Nothing lost: every message stored with its text, every delivered event processed.
  for (const message of sent) expect(store.messages.getMessage(message.id)?.message.body).toBe(message.body)
  const deliveries: WebhookDelivery[] = []
  for (let page = 0; page < 100; page++) {
    const result = await world.client.listWebhookDeliveries(webhookId, { page, perPage: 100 })
    deliveries.push(...result.data)
    if (deliveries.length >= result.total || result.data.length === 0) break
  }
  const delivered = new Set(deliveries.filter((d) => d.success).map((d) => d.event_id))
  expect(delivered.size).toBe(sent.length)
  for (const eventId of delivered) expect(store.webhookEvents.isProcessed(eventId), eventId).toBe(true)
  // What was applied before a kill but not yet printed is fine: it was recognised as a duplicate later.
  expect(appliedIds.length).toBeLessThanOrEqual(delivered.size)
  expect(store.webhookEvents.cursor()).toBe(await world.head())
}
