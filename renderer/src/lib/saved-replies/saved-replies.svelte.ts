// The creator's saved replies in the renderer: loaded on first use, read again when the core says they
// changed; every change goes through the core, which checks it with the shared rules.
import type { InboxApi, InboxResult, SavedReply } from '../../../../shared/inbox-api.ts'

export interface SavedReplyFields {
  title: string
  text: string
  quickReplies: unknown[] | null
  buttons: unknown[] | null
}

export class SavedRepliesModel {
  replies = $state.raw<SavedReply[]>([])
  loaded = $state(false)
  error = $state<string | null>(null)
  private readonly api: InboxApi

  constructor(api: InboxApi) {
    this.api = api
  }

  async load(): Promise<void> {
    const result = await this.api.listSavedReplies()
    this.loaded = true
    if (result.ok) {
      this.replies = result.value
      this.error = null
    } else this.error = result.error.message
  }

  /** Only once something has read them: nobody needs a list nobody looked at. */
  refresh(): void {
    if (this.loaded) void this.load()
  }

  async create(fields: SavedReplyFields): Promise<InboxResult<SavedReply>> {
    return this.afterChange(await this.api.createSavedReply(fields))
  }

  async update(id: number, fields: SavedReplyFields): Promise<InboxResult<SavedReply>> {
    return this.afterChange(await this.api.updateSavedReply({ id, ...fields }))
  }

  async remove(id: number): Promise<InboxResult<null>> {
    return this.afterChange(await this.api.deleteSavedReply({ id }))
  }

  /** Moves a reply to `index`, at once on screen; the core's order wins if it refuses. */
  async move(id: number, index: number): Promise<string | null> {
    const order = this.replies.filter((r) => r.id !== id)
    const moved = this.replies.find((r) => r.id === id)
    if (!moved) return null
    order.splice(Math.max(0, Math.min(index, order.length)), 0, moved)
    this.replies = order
    const result = await this.api.reorderSavedReplies({ ids: order.map((r) => r.id) })
    if (result.ok) {
      this.replies = result.value
      return null
    }
    await this.load()
    return result.error.message
  }

  async export(): Promise<InboxResult<{ fileName: string; json: string }>> {
    return this.api.exportSavedReplies()
  }

  async import(json: string, mode: 'append' | 'replace'): Promise<InboxResult<{ imported: number }>> {
    return this.afterChange(await this.api.importSavedReplies({ json, mode }))
  }

  private async afterChange<T>(result: InboxResult<T>): Promise<InboxResult<T>> {
    if (result.ok) await this.load()
    return result
  }
}
