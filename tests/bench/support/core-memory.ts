// The day bench's side of memory-probe.ts: start a process with the probe preloaded, and ask it for its
// memory (process.memoryUsage(), MiB) at a point of the bench's choosing.
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export const MEMORY_PROBE_PREFIX = 'memory-probe '
export const MEMORY_PROBE = new URL('./memory-probe.ts', import.meta.url).pathname

export interface CoreMemory {
  rssMb: number
  heapTotalMb: number
  heapUsedMb: number
  externalMb: number
  arrayBuffersMb: number
  /** With DMDESK_MEMORY_PROBE_DIR: the same after two full GCs, and the heap snapshot's path. */
  afterGc?: Omit<CoreMemory, 'afterGc' | 'snapshot'>
  snapshot?: string
}

/** Environment for a child process that should answer `coreMemory`. */
export function withMemoryProbe(env: Record<string, string> = {}): Record<string, string> {
  const options = [process.env.NODE_OPTIONS, `--import=${MEMORY_PROBE}`].filter(Boolean).join(' ')
  return { ...env, NODE_OPTIONS: options }
}

/**
 * Reads the probed process's memory on demand. One line reader for the process's life: closing a readline
 * interface pauses its input, and a paused stdout would stall the child once its pipe fills.
 */
export class MemoryReader {
  readonly #child: ChildProcess
  #waiting: ((memory: CoreMemory) => void) | null = null

  constructor(child: ChildProcess) {
    this.#child = child
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(MEMORY_PROBE_PREFIX)) return
      const resolve = this.#waiting
      this.#waiting = null
      resolve?.(JSON.parse(line.slice(MEMORY_PROBE_PREFIX.length)) as CoreMemory)
    })
  }

  /** Asks for the memory now; rejects if the process ends first or does not answer in time. */
  read(timeoutMs = 120_000): Promise<CoreMemory> {
    if (this.#waiting) return Promise.reject(new Error('a memory read is already in flight'))
    return new Promise((resolve, reject) => {
      const child = this.#child
      const exited = () => (clearTimeout(timer), (this.#waiting = null), reject(new Error('the process ended before it reported its memory')))
      const timer = setTimeout(() => (child.off('exit', exited), (this.#waiting = null), reject(new Error(`no memory report within ${timeoutMs} ms`))), timeoutMs)
      this.#waiting = (memory) => (clearTimeout(timer), child.off('exit', exited), resolve(memory))
      child.once('exit', exited)
      child.kill('SIGUSR2')
    })
  }
}
