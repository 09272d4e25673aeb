// A reactive "now" for relative times and the messaging window; ticks twice a minute, which is
// finer than anything the UI shows ("5m", "closes in 2h").
export class Clock {
  now = $state(Date.now())
  private readonly timer: ReturnType<typeof setInterval>

  constructor(intervalMs = 30_000) {
    this.timer = setInterval(() => (this.now = Date.now()), intervalMs)
  }

  tick(): void {
    this.now = Date.now()
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
