// Drafts are saved per chat a moment after typing stops, and at once when the chat closes, so
// switching chats or quitting never loses what was typed.
const SAVE_DELAY_MS = 500
/** The contract's limit for a draft. */
const MAX_DRAFT = 20_000

export class DraftSaver {
  private timer: ReturnType<typeof setTimeout> | null = null
  private saved: string
  private pending: string | null = null
  private readonly save: (text: string) => void

  constructor(initial: string, save: (text: string) => void) {
    this.saved = initial
    this.save = save
  }

  /** The text was loaded from the core: it is what is saved. */
  loaded(text: string): void {
    this.saved = text
  }

  changed(text: string): void {
    this.pending = cutAt(text, MAX_DRAFT)
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const text = this.pending
    this.pending = null
    if (text === null || text === this.saved) return
    this.saved = text
    this.save(text)
  }

  /** The message was sent: nothing to keep (the core drops an empty draft). */
  cleared(): void {
    this.pending = ''
    this.flush()
  }
}

/** At most `max` UTF-16 units, never ending in half of a character. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text
  const last = text.charCodeAt(max - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max)
}
