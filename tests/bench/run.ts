// npm run bench -- <name> [<name> …]
// Runs the benchmarks of each named suite in their own processes, passes their output through, and
// ends with one JSON line holding every figure (each benchmark's own last line is a JSON object).
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const SUITES: Record<string, string[]> = {
  simulator: ['simulator.ts'],
  core: ['core-store.ts', 'core-sync.ts', 'core-profiles.ts'],
  relay: ['relay.ts'],
  app: ['app.ts', 'app-start.ts', 'app-profiles.ts'],
  // Several profiles in one inbox (#13) alone; `core` and `app` run these too.
  profiles: ['core-profiles.ts', 'app-profiles.ts'],
  network: ['network.ts'],
  day: ['day.ts']
}

function runBench(file: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(import.meta.dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let last = ''
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(line)
      if (line.trim()) last = line
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with ${code}`))
      try {
        resolve(JSON.parse(last))
      } catch {
        reject(new Error(`${file} did not end with a JSON line`))
      }
    })
  })
}

const names = process.argv.slice(2)
const unknown = names.filter((name) => !SUITES[name])
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: npm run bench -- <${Object.keys(SUITES).join('|')}> …${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`)
  process.exit(2)
}
const figures: Record<string, unknown> = {}
for (const name of names) for (const file of SUITES[name]) Object.assign(figures, await runBench(file))
console.log(JSON.stringify(figures))
