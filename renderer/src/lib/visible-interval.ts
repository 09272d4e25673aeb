// A repeating timer that runs only while the page is visible (Page Visibility): a window hidden all day
// (minimised, another tab, the tray) wakes nothing up. Becoming visible runs the callback at once, so
// what it refreshes is never shown stale, then every `intervalMs` again.

/** What is needed of `document`; a test passes its own. */
export interface VisibilitySource {
  readonly visibilityState: string
  addEventListener(type: 'visibilitychange', listener: () => void): void
  removeEventListener(type: 'visibilitychange', listener: () => void): void
}

export class VisibleInterval {
  private readonly callback: () => void
  private readonly intervalMs: number
  private readonly page: VisibilitySource
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly onVisibility = () => this.follow(true)

  constructor(callback: () => void, intervalMs: number, page: VisibilitySource = document) {
    this.callback = callback
    this.intervalMs = intervalMs
    this.page = page
    page.addEventListener('visibilitychange', this.onVisibility)
    this.follow(false)
  }

  /** Whether the timer is armed (false while the page is hidden, and once stopped). */
  get running(): boolean {
    return this.timer !== null
  }

  stop(): void {
    this.page.removeEventListener('visibilitychange', this.onVisibility)
    this.clear()
  }

  private follow(catchUp: boolean): void {
    if (this.page.visibilityState === 'hidden') {
      this.clear()
      return
    }
    if (this.timer !== null) return
    if (catchUp) this.callback()
    this.timer = setInterval(this.callback, this.intervalMs)
  }

  private clear(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }
}
