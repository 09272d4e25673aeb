// A reactive "now" for relative times and the messaging window; ticks twice a minute, which is
// finer than anything the UI shows ("5m", "closes in 2h"), and not at all while the window is hidden
// (it catches up the moment it is shown again).
import { VisibleInterval } from './visible-interval.ts'

export class Clock {
  now = $state(Date.now())
  private readonly ticks: VisibleInterval

  constructor(intervalMs = 30_000) {
    this.ticks = new VisibleInterval(() => this.tick(), intervalMs)
  }

  tick(): void {
    this.now = Date.now()
  }

  stop(): void {
    this.ticks.stop()
  }
}
