// Runs an async refresh at most once at a time; requests made while it runs collapse into one more
// run afterwards. A burst of change events therefore costs two reloads, not fifty.
export class CoalescedTask {
  private running: Promise<void> | null = null
  private again = false
  private readonly task: () => Promise<void>

  constructor(task: () => Promise<void>) {
    this.task = task
  }

  run(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.task()
        } while (this.again)
      } finally {
        this.running = null
      }
    })()
    return this.running
  }
}
