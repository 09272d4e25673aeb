// The chat list as the core orders it (newest activity first): a filter, pages loaded on scroll,
// and refreshes on `chats-changed` that keep what is already loaded.
import type { ChatFilter, ChatSummary, InboxApi } from '../../../../shared/inbox-api.ts'
import { CoalescedTask } from './coalesced-task.ts'

const PAGE = 50
/** A refresh reloads what is loaded, up to the largest page the core serves. */
const MAX_REFRESH = 200

export class ChatListModel {
  chats = $state.raw<ChatSummary[]>([])
  filter = $state<ChatFilter>('all')
  nextCursor = $state<string | null>(null)
  /** True until the first page of the current filter arrives. */
  loading = $state(true)
  loadingMore = $state(false)
  error = $state<string | null>(null)
  private readonly api: InboxApi
  /** Answers from an older filter or a superseded refresh are dropped. */
  private generation = 0
  private readonly refresher = new CoalescedTask(() => this.reloadLoaded())

  constructor(api: InboxApi) {
    this.api = api
  }

  async setFilter(filter: ChatFilter): Promise<void> {
    if (this.filter === filter && !this.loading) return
    this.filter = filter
    this.chats = []
    this.nextCursor = null
    this.loading = true
    await this.loadFirst()
  }

  async loadFirst(): Promise<void> {
    const generation = ++this.generation
    this.loading = true
    const result = await this.api.listChats({ filter: this.filter, cursor: null, limit: PAGE })
    if (generation !== this.generation) return
    this.loading = false
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    this.error = null
    this.chats = result.value.chats
    this.nextCursor = result.value.nextCursor
  }

  refresh(): Promise<void> {
    return this.refresher.run()
  }

  private async reloadLoaded(): Promise<void> {
    const generation = ++this.generation
    const limit = Math.min(MAX_REFRESH, Math.max(PAGE, this.chats.length))
    const result = await this.api.listChats({ filter: this.filter, cursor: null, limit })
    if (generation !== this.generation) return
    this.loading = false
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    this.error = null
    this.chats = result.value.chats
    this.nextCursor = result.value.nextCursor
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore || this.loading) return
    const generation = this.generation
    this.loadingMore = true
    const result = await this.api.listChats({ filter: this.filter, cursor: this.nextCursor, limit: PAGE })
    this.loadingMore = false
    if (generation !== this.generation) return
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    const known = new Set(this.chats.map((c) => c.id))
    this.chats = [...this.chats, ...result.value.chats.filter((c) => !known.has(c.id))]
    this.nextCursor = result.value.nextCursor
  }

  byId(chatId: string | null): ChatSummary | undefined {
    return chatId ? this.chats.find((c) => c.id === chatId) : undefined
  }

  /** Applies a change the renderer made itself (read/unread) before the core's push arrives. */
  patch(chatId: string, change: Partial<ChatSummary>): void {
    this.chats = this.chats.map((c) => (c.id === chatId ? { ...c, ...change } : c))
  }

  clear(): void {
    this.generation++
    this.chats = []
    this.nextCursor = null
    this.loading = true
    this.error = null
  }
}
