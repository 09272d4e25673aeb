// A project script (simulator, web mode) in a child process of its own, as the benchmarks run them: its
// first stdout line is a JSON announcement, and it is stopped with SIGTERM (SIGKILL at the very end).
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const ROOT = join(import.meta.dirname, '../../..')

/**
 * Web mode as it ships: bundled by `npm run build` (scripts/build-web.ts), like the desktop app's main
 * process, so start-up figures are not Node's type stripping of the sources.
 */
export const WEB_MODE = 'out/web/cli.js'

export interface NodeProcess {
  child: ChildProcess
  pid: number
  /** The first stdout line, parsed. */
  info: Record<string, string>
  /** performance.now() when spawn() was called, and when the announcement arrived. */
  spawnedAt: number
  announcedAt: number
}

const running = new Set<ChildProcess>()

export async function startNodeProcess(script: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<NodeProcess> {
  const spawnedAt = performance.now()
  const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs)
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer)
      resolve(l)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code}`))
    })
  })
  return { child, pid: child.pid!, info: JSON.parse(line), spawnedAt, announcedAt: performance.now() }
}

/** SIGTERM, then resolves on exit with how long it took (ms). */
export function stopNodeProcess(child: ChildProcess): Promise<number> {
  const started = performance.now()
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(0)
    child.once('exit', () => resolve(performance.now() - started))
    child.kill('SIGTERM')
  })
}

/** For the bench's `finally`: whatever it started and did not stop. */
export function killLeftovers(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}
