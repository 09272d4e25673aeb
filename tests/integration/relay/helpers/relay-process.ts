// The relay as a child process (`node relay/cli.ts …`), the way an operator runs it: for the first-line
// contract, signals, `kill -9`, and measuring the relay's own memory apart from the test's.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const CLI = join(import.meta.dirname, '../../../../relay/cli.ts')

export interface RelayProcess {
  child: ChildProcess
  pid: number
  url: string
  /** The first stdout line, verbatim. */
  firstLine: string
  stderr(): string
  /** Resolves once stderr contains `text` (stdout and stderr are separate pipes: no order between them). */
  stderrContaining(text: string, timeoutMs?: number): Promise<void>
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>
  /** Memory figures of the process from /proc, in KiB. */
  memoryKib(): { rss: number; peakRss: number }
}

export async function spawnRelay(args: string[], timeoutMs = 15_000, env: Record<string, string> = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stderr = ''
  const stderrListeners = new Set<() => void>()
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    for (const listener of [...stderrListeners]) listener()
  })
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  const lines = createInterface({ input: child.stdout! })
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the relay printed no first line within ${timeoutMs} ms; stderr: ${stderr}`))
    }, timeoutMs)
    lines.once('line', (line) => {
      clearTimeout(timer)
      resolve(line)
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the relay exited (${code}) before printing its first line; stderr: ${stderr}`))
    })
  })
  return {
    child,
    pid: child.pid!,
    url: (JSON.parse(firstLine) as { url: string }).url,
    firstLine,
    stderr: () => stderr,
    stderrContaining(text, waitMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!stderr.includes(text)) return
          clearTimeout(timer)
          stderrListeners.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          stderrListeners.delete(check)
          reject(new Error(`stderr did not mention "${text}" within ${waitMs} ms: ${stderr}`))
        }, waitMs)
        stderrListeners.add(check)
        check()
      })
    },
    exited,
    memoryKib() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
      return { rss: field('VmRSS'), peakRss: field('VmHWM') }
    }
  }
}

/** Stops the process if it is still running (test teardown); only ever the child this helper spawned. */
export async function stopRelay(relay: RelayProcess | undefined): Promise<void> {
  if (!relay || relay.child.exitCode !== null || relay.child.signalCode !== null) return
  relay.child.kill('SIGKILL')
  await relay.exited
}
