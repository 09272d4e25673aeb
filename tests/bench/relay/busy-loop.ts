// "One core busy": a child process spinning on a core (node -e 'for(;;);'), as another heavy program on
// the creator's machine would, for the e2e latency measured beside it. Stopped (SIGKILL) by the bench.
import { spawn } from 'node:child_process'

export interface BusyLoop {
  pid: number
  stop(): Promise<void>
}

export function startBusyLoop(): BusyLoop {
  const child = spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' })
  return {
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      })
  }
}
