// The Comments view's state: the threads of the chosen filter (pages loaded on scroll), the unread count,
// the open thread, and the creator's actions on comments, each answered by the core at once (queued in its
// outbox) and followed through `comments-changed`. A private reply asked for here opens its chat once it
// has gone out.
import type { CommentFilter, CommentItem, CommentThread, InboxApi, InboxResult } from '../../../../shared/inbox-api.ts'
import { CoalescedTask } from '../inbox/coalesced-task.ts'

const PAGE = 50
const MAX_REFRESH = 200

export class CommentsModel {
  filter = $state<CommentFilter>('all')
  threads = $state.raw<CommentThread[]>([])
  nextCursor = $state<string | null>(null)
  loading = $state(true)
  loadingMore = $state(false)
  error = $state<string | null>(null)
  unread = $state(0)
  /** The thread on screen, by the id of the comment that was opened (top-level or reply). */
  openCommentId = $state<string | null>(null)
  open = $state.raw<CommentThread | null>(null)
  openError = $state<string | null>(null)
  /** Grows with every change of the comments: views that show comments elsewhere (a chat's) reload on it. */
  revision = $state(0)
  /** Failures of the creator's actions, by comment id, shown next to the comment. */
  actionErrors = $state<Record<string, string>>({})
  private readonly api: InboxApi
  private generation = 0
  private loadedOnce = false
  /** The comment whose private reply the creator just sent, and what to do once it has gone out. */
  private awaitingReply: { commentId: string; then: (chatId: string, messageId: string | null) => void } | null = null
  private readonly refresher = new CoalescedTask(() => this.reload())

  constructor(api: InboxApi) {
    this.api = api
  }

  /** The first page, the first time the view is shown; afterwards pushes keep it fresh. */
  async ensureLoaded(): Promise<void> {
    if (this.loadedOnce) return
    this.loadedOnce = true
    await this.loadFirst()
  }

  async setFilter(filter: CommentFilter): Promise<void> {
    if (this.filter === filter && !this.loading) return
    this.filter = filter
    this.threads = []
    this.nextCursor = null
    await this.loadFirst()
  }

  async loadFirst(): Promise<void> {
    const generation = ++this.generation
    this.loading = true
    const result = await this.api.listComments({ filter: this.filter, cursor: null, limit: PAGE })
    if (generation !== this.generation) return
    this.applyPage(result)
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore || this.loading) return
    const generation = this.generation
    this.loadingMore = true
    const result = await this.api.listComments({ filter: this.filter, cursor: this.nextCursor, limit: PAGE })
    this.loadingMore = false
    if (generation !== this.generation) return
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    const known = new Set(this.threads.map((t) => t.comment.id))
    this.threads = [...this.threads, ...result.value.threads.filter((t) => !known.has(t.comment.id))]
    this.nextCursor = result.value.nextCursor
  }

  /** After `comments-changed` (coalesced): the count, what is loaded, the open thread. */
  refresh(): Promise<void> {
    this.revision++
    return this.refresher.run()
  }

  async refreshCount(): Promise<void> {
    const counts = await this.api.getCommentCounts()
    if (counts.ok) this.unread = counts.value.unread
  }

  async markSeen(): Promise<void> {
    if (this.unread === 0 && !this.threads.some((t) => t.comment.unread || t.replies.some((r) => r.unread))) return
    this.unread = 0
    await this.api.markCommentsSeen()
  }

  async openThread(commentId: string): Promise<void> {
    this.openCommentId = commentId
    await this.reloadOpen()
  }

  closeThread(): void {
    this.openCommentId = null
    this.open = null
    this.openError = null
  }

  /** Queues a private reply; `then` runs once it has gone out (the chat it opened, the message it became). */
  async privateReply(commentId: string, text: string, then: (chatId: string, messageId: string | null) => void): Promise<string | null> {
    const error = await this.act(commentId, this.api.privateReply({ commentId, text }))
    if (error === null) this.awaitingReply = { commentId, then }
    return error
  }

  replyInPublic(commentId: string, text: string): Promise<string | null> {
    return this.act(commentId, this.api.replyToComment({ commentId, text }))
  }

  setHidden(comment: CommentItem, hidden: boolean): Promise<string | null> {
    return this.act(comment.id, this.api.setCommentHidden({ commentId: comment.id, hidden }))
  }

  setLiked(comment: CommentItem, liked: boolean): Promise<string | null> {
    return this.act(comment.id, this.api.setCommentLiked({ commentId: comment.id, liked }))
  }

  retry(commentId: string, localId: string): Promise<string | null> {
    return this.act(commentId, this.api.retryCommentAction({ localId }))
  }

  discard(commentId: string, localId: string): Promise<string | null> {
    return this.act(commentId, this.api.discardCommentAction({ localId }))
  }

  clear(): void {
    this.generation++
    this.loadedOnce = false
    this.threads = []
    this.nextCursor = null
    this.loading = true
    this.error = null
    this.unread = 0
    this.closeThread()
  }

  /** Runs an action; its result (the comment as it now shows) replaces the old one at once. */
  private async act(commentId: string, call: Promise<InboxResult<CommentItem>>): Promise<string | null> {
    const { [commentId]: _cleared, ...others } = this.actionErrors
    this.actionErrors = others
    const result = await call
    if (!result.ok) {
      this.actionErrors = { ...this.actionErrors, [commentId]: result.error.message }
      return result.error.message
    }
    this.replaceComment(result.value)
    return null
  }

  private replaceComment(item: CommentItem): void {
    const swap = (thread: CommentThread): CommentThread =>
      thread.comment.id === item.id
        ? { ...thread, comment: item }
        : thread.replies.some((r) => r.id === item.id)
          ? { ...thread, replies: thread.replies.map((r) => (r.id === item.id ? item : r)) }
          : thread
    this.threads = this.threads.map(swap)
    if (this.open) this.open = swap(this.open)
  }

  private applyPage(result: InboxResult<{ threads: CommentThread[]; nextCursor: string | null }>): void {
    this.loading = false
    if (!result.ok) {
      this.error = result.error.message
      return
    }
    this.error = null
    this.threads = result.value.threads
    this.nextCursor = result.value.nextCursor
  }

  private async reload(): Promise<void> {
    void this.refreshCount()
    if (this.loadedOnce) {
      const generation = ++this.generation
      const limit = Math.min(MAX_REFRESH, Math.max(PAGE, this.threads.length))
      const result = await this.api.listComments({ filter: this.filter, cursor: null, limit })
      if (generation === this.generation) this.applyPage(result)
    }
    await this.reloadOpen()
    this.followAwaitedReply()
  }

  private async reloadOpen(): Promise<void> {
    const commentId = this.openCommentId
    if (!commentId) return
    const result = await this.api.getCommentThread({ commentId })
    if (this.openCommentId !== commentId) return
    if (result.ok) {
      this.open = result.value
      this.openError = null
    } else {
      this.open = null
      this.openError = result.error.message
    }
  }

  /** Once the awaited private reply has gone out (or failed), hand over to the chat (or stop waiting). */
  private followAwaitedReply(): void {
    const awaited = this.awaitingReply
    if (!awaited) return
    const thread = this.open && [this.open.comment, ...this.open.replies].some((c) => c.id === awaited.commentId) ? this.open : this.threads.find((t) => [t.comment, ...t.replies].some((c) => c.id === awaited.commentId))
    const comment = thread && [thread.comment, ...thread.replies].find((c) => c.id === awaited.commentId)
    if (!comment) return
    const state = comment.privateReply
    if (state.state === 'used' && state.chatId) {
      this.awaitingReply = null
      awaited.then(state.chatId, state.messageId)
    } else if (state.state === 'failed') {
      this.awaitingReply = null
    }
  }
}
