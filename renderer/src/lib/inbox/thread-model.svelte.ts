// One open conversation: the loaded messages (oldest first, as shown), older pages fetched on
// demand, refreshes on `messages-changed` that merge into what is loaded, and the creator's actions
// on single messages (love, retry, discard) with their failures kept next to the message.
import type { InboxApi, ThreadMessage, ThreadPage } from '../../../../shared/inbox-api.ts'
import { replyTargetPendingText } from '../../../../shared/reply-to-rules.ts'
import { CoalescedTask } from './coalesced-task.ts'

const PAGE = 50

/** A message keeps its key when a pending send becomes the published message (its id changes). */
export function messageKey(message: ThreadMessage): string {
  return message.localId ?? message.id
}

/** Newest page (newest first, as the core returns it) merged with the older messages already loaded. */
export function mergeNewestPage(loaded: ThreadMessage[], page: ThreadPage, loadedOlderCursor: string | null): { messages: ThreadMessage[]; olderCursor: string | null } {
  const fresh = [...page.messages].reverse()
  if (page.olderCursor === null || fresh.length === 0) return { messages: fresh, olderCursor: page.olderCursor }
  const freshKeys = new Set(fresh.map(messageKey))
  const oldestFresh = fresh[0]
  const boundary = loaded.findIndex((m) => messageKey(m) === messageKey(oldestFresh))
  // No overlap: more than a page arrived meanwhile (after sleep, a reconnect). Keeping the loaded
  // messages would leave a silent hole between them and the fresh page; start again from the fresh
  // page, whose own cursor loads everything older.
  if (boundary < 0) return { messages: fresh, olderCursor: page.olderCursor }
  const older = loaded.slice(0, boundary).filter((m) => !freshKeys.has(messageKey(m)))
  return { messages: [...older, ...fresh], olderCursor: older.length > 0 ? loadedOlderCursor : page.olderCursor }
}

export class ThreadModel {
  readonly chatId: string
  messages = $state.raw<ThreadMessage[]>([])
  olderCursor = $state<string | null>(null)
  loaded = $state(false)
  loadingOlder = $state(false)
  error = $state<string | null>(null)
  olderError = $state<string | null>(null)
  /** Failures of the creator's actions, by message key, shown on that message. */
  actionErrors = $state<Record<string, string>>({})
  /** The message the composer quotes (the next send answers it); null when none. */
  replyingTo = $state.raw<ThreadMessage | null>(null)
  private readonly api: InboxApi
  private closed = false
  private readonly refresher = new CoalescedTask(() => this.reloadNewest())

  constructor(api: InboxApi, chatId: string) {
    this.api = api
    this.chatId = chatId
  }

  async open(): Promise<void> {
    const result = await this.api.getThread({ chatId: this.chatId, before: null, limit: PAGE })
    if (this.closed) return
    this.loaded = true
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    this.error = null
    this.messages = [...result.value.messages].reverse()
    this.olderCursor = result.value.olderCursor
  }

  refresh(): Promise<void> {
    return this.refresher.run()
  }

  private async reloadNewest(): Promise<void> {
    const result = await this.api.getThread({ chatId: this.chatId, before: null, limit: PAGE })
    if (this.closed) return
    this.loaded = true
    if (!result.ok) {
      // Keep showing what is loaded; a refresh failing is not worth more than a note.
      if (this.messages.length === 0) this.error = result.error.message
      return
    }
    this.error = null
    const merged = mergeNewestPage(this.messages, result.value, this.olderCursor)
    this.messages = merged.messages
    this.olderCursor = merged.olderCursor
  }

  async loadOlder(): Promise<void> {
    if (!this.olderCursor || this.loadingOlder) return
    this.loadingOlder = true
    this.olderError = null
    const before = this.olderCursor
    const result = await this.api.getThread({ chatId: this.chatId, before, limit: PAGE })
    this.loadingOlder = false
    if (this.closed || before !== this.olderCursor) return
    if (!result.ok) {
      this.olderError = result.error.message
      return
    }
    const known = new Set(this.messages.map(messageKey))
    const older = [...result.value.messages].reverse().filter((m) => !known.has(messageKey(m)))
    this.messages = [...older, ...this.messages]
    this.olderCursor = result.value.olderCursor
  }

  /** A message the creator just sent: shown at once, unless a refresh already brought it. */
  addSent(message: ThreadMessage): void {
    const key = messageKey(message)
    if (this.messages.some((m) => messageKey(m) === key)) return
    this.messages = [...this.messages, message]
  }

  private replace(message: ThreadMessage): void {
    const key = messageKey(message)
    this.messages = this.messages.map((m) => (messageKey(m) === key ? message : m))
  }

  private setActionError(key: string, message: string | null): void {
    const next = { ...this.actionErrors }
    if (message) next[key] = message
    else delete next[key]
    this.actionErrors = next
  }

  /** Optimistic: the heart flips at once and flips back, with the reason, if the core refuses. */
  async toggleLove(message: ThreadMessage): Promise<void> {
    const key = messageKey(message)
    this.setActionError(key, null)
    this.replace({ ...message, lovedByYou: !message.lovedByYou })
    const result = await this.api.toggleLove({ chatId: this.chatId, messageId: message.id })
    if (this.closed) return
    if (result.ok) this.replace(result.value)
    else {
      this.replace(message)
      this.setActionError(key, result.error.message)
    }
  }

  async retry(message: ThreadMessage): Promise<void> {
    const key = messageKey(message)
    this.setActionError(key, null)
    const result = await this.api.retrySend({ chatId: this.chatId, messageId: message.id })
    if (this.closed) return
    if (result.ok) this.replace(result.value)
    else this.setActionError(key, result.error.message)
  }

  async discard(message: ThreadMessage): Promise<void> {
    const key = messageKey(message)
    this.setActionError(key, null)
    const result = await this.api.discardSend({ chatId: this.chatId, messageId: message.id })
    if (this.closed) return
    if (result.ok) this.messages = this.messages.filter((m) => messageKey(m) !== key)
    else this.setActionError(key, result.error.message)
  }

  /**
   * Quotes `message` in the composer. A message the chat's `platform` has not given an id yet (still
   * sending, or failed) can't be answered: false, with the reason shown on it.
   */
  startReply(message: ThreadMessage, platform: string): boolean {
    const key = messageKey(message)
    if (!message.externalId) {
      this.setActionError(key, replyTargetPendingText(platform, 'This'))
      return false
    }
    this.setActionError(key, null)
    this.replyingTo = message
    return true
  }

  cancelReply(): void {
    this.replyingTo = null
  }

  /** The newest inbound message's time: the messaging window runs from it. */
  latestInboundAt(): string | null {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].direction === 'inbound') return this.messages[i].at
    return null
  }

  close(): void {
    this.closed = true
  }
}
