// Project scripts (web mode, the simulator) as real child processes for integration tests: each one's
// first stdout line is its JSON announcement; whatever a test started is killed after it.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const ROOT = join(import.meta.dirname, '../..')

export interface ProjectProcess {
  child: ChildProcess
  announcement: Record<string, string>
  /** What it printed on stderr so far (for failure messages). */
  stderr(): string
}

export class ProjectProcesses {
  readonly #started: ChildProcess[] = []

  /** Starts `node <script> ...args` and resolves with it and its first stdout line (a JSON object). */
  async start(script: string, args: string[], env: Record<string, string> = {}): Promise<ProjectProcess> {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.#started.push(child)
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    const announcement = await new Promise<Record<string, string>>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)))
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it started:\n${stderr}`)))
    })
    return { child, announcement, stderr: () => stderr }
  }

  /** SIGKILL to every process still running, resolved once they are gone. */
  async killAll(): Promise<void> {
    for (const child of this.#started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGKILL')
        await exited
      }
    }
  }
}
