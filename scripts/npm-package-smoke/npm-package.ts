// What the package smoke checks share: pack one of the project's npm packages (relay/, simulator/),
// install the tarball into an empty directory (its runtime dependencies from the npm registry), and run
// its command with `npx --no-install` — as someone who never saw this checkout would. Every step has a
// deadline; processes run in their own group so a stop reaches npx and the program it started.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'

export const run = promisify(execFile)
const INSTALL_TIMEOUT_MS = 240_000
export const STEP_TIMEOUT_MS = 30_000

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export interface PackCheck {
  /** Files the tarball must hold. */
  required: string[]
  /** Every file in the tarball must match (no sources, tests or build leftovers). */
  allowed: RegExp
}

/** `npm pack` in `packageDir` (its prepack builds dist/), checks the file list, returns the tarball's path. */
export async function pack(packageDir: string, work: string, check: PackCheck): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 })
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>
  const files = result.files.map((file) => file.path).sort()
  for (const needed of check.required) {
    if (!files.includes(needed)) throw new Error(`the package lacks ${needed}; it has: ${files.join(', ')}`)
  }
  const stray = files.filter((path) => !check.allowed.test(path))
  if (stray.length > 0) throw new Error(`the package holds files it should not: ${stray.join(', ')}`)
  return join(work, result.filename)
}

/** Installs the tarball into `<work>/app` and checks the package's runtime dependencies are exactly `dependencies`. */
export async function installTarball(work: string, tarball: string, packageName: string, dependencies: string[]): Promise<string> {
  const app = join(work, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'package-smoke', private: true }))
  await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, timeout: INSTALL_TIMEOUT_MS })
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', packageName, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  const found = Object.keys(installed.dependencies).sort().join(', ')
  if (found !== [...dependencies].sort().join(', ')) throw new Error(`runtime dependencies: ${found}; expected ${dependencies.join(', ')}`)
  return app
}

export interface StartedCommand {
  child: ChildProcess
  /** The first stdout line, parsed as JSON. */
  announcement: Record<string, string>
  stderr(): string
  /** SIGTERM to the whole group; resolves once the program has exited and closed its pipes. */
  stop(): Promise<void>
  /** SIGKILL to the whole group, if it is still running (cleanup after a failure). */
  kill(): void
}

/** Starts an installed package's command with `npx --no-install` and waits for its first stdout line. */
export async function startInstalledCommand(app: string, command: string, args: string[], env: Record<string, string> = {}): Promise<StartedCommand> {
  // `npx --no-install`: the bin must come from the installed tarball, never from the registry.
  const child = spawn('npx', ['--no-install', command, ...args], { cwd: app, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const running = () => child.exitCode === null && child.signalCode === null
  const kill = () => {
    if (running()) process.kill(-child.pid!, 'SIGKILL')
  }
  try {
    const firstLine = await within(
      new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before its first line; stderr: ${stderr}`)))
      }),
      STEP_TIMEOUT_MS,
      `${command} printing its first line`
    )
    return {
      child,
      announcement: JSON.parse(firstLine) as Record<string, string>,
      stderr: () => stderr,
      kill,
      stop: async () => {
        // 'close' waits for the pipes, which the program (npx's child) holds until it has exited.
        const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
        process.kill(-child.pid!, 'SIGTERM')
        await within(closed, STEP_TIMEOUT_MS, `${command} stopping`)
      }
    }
  } catch (error) {
    kill()
    throw error
  }
}
