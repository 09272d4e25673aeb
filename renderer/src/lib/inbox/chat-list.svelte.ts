// The chat list as the core orders it (pinned chats, then newest activity first): a view (Inbox,
// Snoozed, Done), a filter and a label, pages loaded on scroll, and refreshes on `chats-changed` that
// keep what is already loaded.
import type { ChatFilter, ChatSummary, ChatView, InboxApi } from '../../../../shared/inbox-api.ts'
import { CoalescedTask } from './coalesced-task.ts'

const PAGE = 50
/** A refresh reloads what is loaded, up to the largest page the core serves. */
const MAX_REFRESH = 200

export class ChatListModel {
  chats = $state.raw<ChatSummary[]>([])
  view = $state<ChatView>('inbox')
  filter = $state<ChatFilter>('all')
  /** Only chats with this label (combines with the filter), or all. */
  labelId = $state<number | null>(null)
  nextCursor = $state<string | null>(null)
  /** True until the first page of the current filter arrives. */
  loading = $state(true)
  loadingMore = $state(false)
  error = $state<string | null>(null)
  private readonly api: InboxApi
  /** Answers from an older filter or a superseded refresh are dropped. */
  private generation = 0
  private readonly refresher = new CoalescedTask(() => this.reloadLoaded())
  /** The first page asked for before the session was known (see prefetchFirst), with what it asked for. */
  private early: { query: string; result: ReturnType<InboxApi['listChats']> } | null = null
  /** Told whenever the rows change (the selection keeps only chats still listed). */
  private readonly onRows: (chats: ChatSummary[]) => void

  constructor(api: InboxApi, onRows: (chats: ChatSummary[]) => void = () => {}) {
    this.api = api
    this.onRows = onRows
  }

  private setRows(chats: ChatSummary[]): void {
    this.chats = chats
    this.onRows(chats)
  }

  async setFilter(filter: ChatFilter): Promise<void> {
    if (this.filter === filter && !this.loading) return
    this.filter = filter
    await this.reload()
  }

  async setView(view: ChatView): Promise<void> {
    if (this.view === view && !this.loading) return
    this.view = view
    await this.reload()
  }

  async setLabel(labelId: number | null): Promise<void> {
    if (this.labelId === labelId && !this.loading) return
    this.labelId = labelId
    await this.reload()
  }

  private async reload(): Promise<void> {
    this.setRows([])
    this.nextCursor = null
    this.loading = true
    await this.loadFirst()
  }

  private query(cursor: string | null, limit: number) {
    return this.api.listChats({ view: this.view, filter: this.filter, labelId: this.labelId, cursor, limit })
  }

  /** What the first page of the current view, filter and label asks for. */
  private firstPageQuery(): string {
    return JSON.stringify([this.view, this.filter, this.labelId])
  }

  /**
   * Asks for the first page at start-up, beside the session: a signed-in start then paints its list one
   * round trip sooner. The next loadFirst takes it, unless the chats changed meanwhile (dropPrefetch).
   */
  prefetchFirst(): void {
    this.early = { query: this.firstPageQuery(), result: this.query(null, PAGE) }
  }

  /** The chats changed, or the start-up went another way: the early page is not used. */
  dropPrefetch(): void {
    this.early = null
  }

  async loadFirst(): Promise<void> {
    const generation = ++this.generation
    this.loading = true
    const early = this.early?.query === this.firstPageQuery() ? this.early.result : null
    this.early = null
    const result = await (early ?? this.query(null, PAGE))
    if (generation !== this.generation) return
    this.loading = false
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    this.error = null
    this.setRows(result.value.chats)
    this.nextCursor = result.value.nextCursor
  }

  refresh(): Promise<void> {
    return this.refresher.run()
  }

  private async reloadLoaded(): Promise<void> {
    const generation = ++this.generation
    const limit = Math.min(MAX_REFRESH, Math.max(PAGE, this.chats.length))
    const result = await this.query(null, limit)
    if (generation !== this.generation) return
    this.loading = false
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    this.error = null
    this.setRows(result.value.chats)
    this.nextCursor = result.value.nextCursor
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore || this.loading) return
    const generation = this.generation
    this.loadingMore = true
    const result = await this.query(this.nextCursor, PAGE)
    this.loadingMore = false
    if (generation !== this.generation) return
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    const known = new Set(this.chats.map((c) => c.id))
    this.setRows([...this.chats, ...result.value.chats.filter((c) => !known.has(c.id))])
    this.nextCursor = result.value.nextCursor
  }

  byId(chatId: string | null): ChatSummary | undefined {
    return chatId ? this.chats.find((c) => c.id === chatId) : undefined
  }

  /** Applies a change the renderer made itself (read/unread) before the core's push arrives. */
  patch(chatId: string, change: Partial<ChatSummary>): void {
    this.chats = this.chats.map((c) => (c.id === chatId ? { ...c, ...change } : c))
  }

  /** Chats put away (or moved out of this list) leave it at once; the core's push then confirms the list. */
  removeLocally(chatIds: readonly string[]): void {
    const gone = new Set(chatIds)
    // A refresh already on its way read the list before this change: its answer would bring them back.
    this.generation++
    this.loading = false
    this.setRows(this.chats.filter((c) => !gone.has(c.id)))
  }

  clear(): void {
    this.generation++
    this.setRows([])
    this.nextCursor = null
    this.loading = true
    this.error = null
  }
}
