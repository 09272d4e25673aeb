// The sidebar's search over the local cache (people, message text, comments). A query is searched once
// typing pauses; the shown results are searched again when the cache changes beneath them (coalesced),
// so a message that arrives, or that the first sync stores, after the query was typed still shows up.
import type { CommentSearchHit, InboxApi, SearchHit } from '../../../../shared/inbox-api.ts'
import { CoalescedTask } from './coalesced-task.ts'

/** Typing fast should cost one search, not one per key. */
const TYPING_PAUSE_MS = 150

export class SearchModel {
  hits = $state.raw<SearchHit[]>([])
  commentHits = $state.raw<CommentSearchHit[]>([])
  /** The current query's first answer has not come yet. */
  searching = $state(false)
  error = $state<string | null>(null)
  /** The query the shown results answer ('' when none). */
  searchedFor = $state('')
  private readonly api: InboxApi
  private query = ''
  private typingPause: ReturnType<typeof setTimeout> | undefined
  private readonly searcher = new CoalescedTask(() => this.searchNow())

  constructor(api: InboxApi) {
    this.api = api
  }

  /** What the search box holds now. */
  setQuery(text: string): void {
    const query = text.trim()
    if (query === this.query) return
    this.query = query
    clearTimeout(this.typingPause)
    if (query === '') {
      this.hits = []
      this.commentHits = []
      this.searching = false
      this.error = null
      this.searchedFor = ''
      return
    }
    this.searching = true
    this.typingPause = setTimeout(() => void this.searcher.run(), TYPING_PAUSE_MS)
  }

  /** Chats, messages or comments changed: results on screen may now be missing a hit, or show a stale one. */
  cacheChanged(): void {
    if (this.searchedFor !== '') void this.searcher.run()
  }

  private async searchNow(): Promise<void> {
    const query = this.query
    if (query === '') return
    const [result, comments] = await Promise.all([this.api.search({ query, limit: 50 }), this.api.searchComments({ query, limit: 20 })])
    // Typed on meanwhile: the newer query's own search answers it.
    if (query !== this.query) return
    this.searching = false
    this.searchedFor = query
    this.commentHits = comments.ok ? comments.value : []
    this.hits = result.ok ? result.value : []
    this.error = result.ok ? null : result.error.message
  }
}
