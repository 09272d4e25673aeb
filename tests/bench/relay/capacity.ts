// Ingest capacity: not a fixed rate but the highest one the relay holds. Durable webhooks (the relay's
// default synchronous=FULL) are offered open loop at rising rates, each step for a few seconds, while one
// desktop streams every event (stream-reader-child.ts); the capacity is the highest step whose p99 latency,
// from each request's due time to the relay's 200, stays under the target. A step that misses is run once
// more before the search stops (another process taking a core for a moment should not end it).
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Message } from '../../../shared/postproxy.ts'
import { measureIngest, type IngestResult } from './ingest-load.ts'

export interface CapacityOptions {
  ingestUrl: string
  eventsUrl: string
  deviceToken: string
  secret: string
  template: Message
  chatIds: string[]
  /** Offered rates, rising, in events per second. */
  steps: number[]
  stepSeconds: number
  p99TargetMs: number
  /** Before each step, the streaming desktop gets at most this long to reach the relay's head. */
  settleTimeoutMs: number
  /** A first, uncounted run at the lowest step's rate: JIT, connection pool and page cache warm up. */
  warmUpSeconds: number
}

export interface CapacityStep {
  offeredEps: number
  attempt: number
  result: IngestResult
  passed: boolean
  /** How far the streaming desktop was behind (in events) when the step's last answer came. */
  readerBehind: number
}

export interface CapacityResult {
  /** The highest offered rate whose p99 stayed under the target (0 when none did). */
  capacityEps: number
  p99AtCapacityMs: number | null
  steps: CapacityStep[]
  readerFrames: number
  /** Webhooks stored by the uncounted warm-up run (the relay's CPU over the phase includes them). */
  warmUpEvents: number
}

interface StreamReader {
  child: ChildProcess
  highestSeq(): number
  frames(): number
  /** Resolves once the reader has received `seq`; false when `timeoutMs` passed first. */
  reached(seq: number, timeoutMs: number): Promise<boolean>
  stop(): Promise<void>
}

async function startStreamReader(eventsUrl: string, deviceToken: string): Promise<StreamReader> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'stream-reader-child.ts'), eventsUrl, deviceToken], { stdio: ['ignore', 'pipe', 'inherit'] })
  let highest = 0
  let frames = 0
  const waiters = new Set<() => void>()
  const lines = createInterface({ input: child.stdout! })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the streaming desktop did not connect within 15 s')), 15_000)
    child.once('exit', (code) => reject(new Error(`the streaming desktop exited (${code})`)))
    lines.on('line', (line) => {
      if (line === 'connected') {
        clearTimeout(timer)
        resolve()
        return
      }
      const [, seq, count] = line.split(' ')
      highest = Number(seq)
      frames = Number(count)
      for (const waiter of [...waiters]) waiter()
    })
  })
  return {
    child,
    highestSeq: () => highest,
    frames: () => frames,
    reached: (seq, timeoutMs) =>
      new Promise((resolve) => {
        if (highest >= seq) return resolve(true)
        const timer = setTimeout(() => {
          waiters.delete(check)
          resolve(false)
        }, timeoutMs)
        const check = (): void => {
          if (highest < seq) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(true)
        }
        waiters.add(check)
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

export async function measureCapacity(options: CapacityOptions, onStep: (step: CapacityStep) => void): Promise<CapacityResult> {
  const reader = await startStreamReader(options.eventsUrl, options.deviceToken)
  const steps: CapacityStep[] = []
  let capacityEps = 0
  let p99AtCapacityMs: number | null = null
  let headSeq = 0
  const offer = (offeredEps: number, seconds: number): Promise<IngestResult> =>
    measureIngest({
      ingestUrl: options.ingestUrl,
      secret: options.secret,
      count: Math.round(offeredEps * seconds),
      ratePerSec: offeredEps,
      template: options.template,
      chatIds: options.chatIds
    })
  try {
    const warmUp = await offer(options.steps[0], options.warmUpSeconds)
    headSeq = warmUp.maxSeq
    // Bounded: each step runs at most twice, and there are options.steps.length steps.
    for (const offeredEps of options.steps) {
      let passed = false
      for (let attempt = 1; attempt <= 2 && !passed; attempt++) {
        await reader.reached(headSeq, options.settleTimeoutMs)
        const result = await offer(offeredEps, options.stepSeconds)
        headSeq = Math.max(headSeq, result.maxSeq)
        const refused = Object.values(result.refused).reduce((sum, n) => sum + n, 0)
        passed = refused === 0 && result.latency.p99 < options.p99TargetMs
        // Only this channel receives webhooks during the bench, so a difference of seqs counts events.
        const step: CapacityStep = { offeredEps, attempt, result, passed, readerBehind: Math.max(0, headSeq - reader.highestSeq()) }
        steps.push(step)
        onStep(step)
        if (passed) {
          capacityEps = offeredEps
          p99AtCapacityMs = result.latency.p99
        }
      }
      if (!passed) break
    }
    await reader.reached(headSeq, options.settleTimeoutMs)
    return { capacityEps, p99AtCapacityMs, steps, readerFrames: reader.frames(), warmUpEvents: warmUp.ok }
  } finally {
    await reader.stop()
  }
}
