// Saved replies: checked with the shared rules on every save (the editor shows the same sentences),
// ordered by the creator, exported to and imported from a JSON file. An import is all or nothing: a file
// with any problem changes nothing.
import type { SavedReply } from '../../../shared/inbox-api.ts'
import type { MessageButton, QuickReply } from '../../../shared/postproxy-interactive.ts'
import { checkSavedReply, type SavedReplyDraft } from '../../../shared/saved-reply-rules.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { InboxStore, SavedReplyRecord } from '../store/index.ts'
import { parseSavedRepliesFile, savedRepliesFileText } from './saved-replies-file.ts'

/** A creator's whole playbook fits; a list longer than this stops being searchable at a glance. */
export const MAX_SAVED_REPLIES = 5000

function toSavedReply(record: SavedReplyRecord): SavedReply {
  return {
    id: record.id,
    title: record.title,
    text: record.body,
    quickReplies: record.quickReplies as QuickReply[] | null,
    buttons: record.buttons as MessageButton[] | null
  }
}

function toRecordInput(draft: SavedReplyDraft) {
  return { title: draft.title, body: draft.text, quickReplies: draft.quickReplies, buttons: draft.buttons }
}

type Fields = { title: string; text: string; quickReplies: unknown[] | null; buttons: unknown[] | null }

export interface SavedReplyBookDeps {
  store: () => InboxStore
  now: () => number
  onChange: () => void
}

export class SavedReplyBook {
  readonly #deps: SavedReplyBookDeps

  constructor(deps: SavedReplyBookDeps) {
    this.#deps = deps
  }

  list(): SavedReply[] {
    return this.#deps.store().savedReplies.list().map(toSavedReply)
  }

  create(fields: Fields): SavedReply {
    const draft = this.#checked(fields)
    const replies = this.#deps.store().savedReplies
    this.#refuseOverLimit(replies.list().length + 1)
    const [id] = replies.add([toRecordInput(draft)])
    this.#deps.onChange()
    return toSavedReply(replies.get(id)!)
  }

  update(id: number, fields: Fields): SavedReply {
    const draft = this.#checked(fields)
    const replies = this.#deps.store().savedReplies
    if (!replies.update(id, toRecordInput(draft))) throw new InboxFailure('not_found', 'That saved reply no longer exists.')
    this.#deps.onChange()
    return toSavedReply(replies.get(id)!)
  }

  delete(id: number): void {
    if (!this.#deps.store().savedReplies.delete(id)) throw new InboxFailure('not_found', 'That saved reply no longer exists.')
    this.#deps.onChange()
  }

  /** `ids`: every saved reply once, in the new order. */
  reorder(ids: readonly number[]): SavedReply[] {
    const replies = this.#deps.store().savedReplies
    const current = new Set(replies.list().map((r) => r.id))
    if (ids.length !== current.size || new Set(ids).size !== ids.length || !ids.every((id) => current.has(id))) {
      throw new InboxFailure('invalid_argument', 'Your saved replies changed meanwhile. Try moving it again.')
    }
    replies.reorder(ids)
    this.#deps.onChange()
    return this.list()
  }

  export(): { fileName: string; json: string } {
    const exportedAt = new Date(this.#deps.now()).toISOString()
    const drafts = this.list().map((r) => ({ title: r.title, text: r.text, quickReplies: r.quickReplies, buttons: r.buttons }))
    return { fileName: `dmdesk-saved-replies-${exportedAt.slice(0, 10)}.json`, json: savedRepliesFileText(drafts, exportedAt) }
  }

  import(json: string, mode: 'append' | 'replace'): { imported: number } {
    const parsed = parseSavedRepliesFile(json)
    if (!parsed.ok) throw new InboxFailure('invalid_argument', `Nothing was imported. ${parsed.errors.join(' ')}`)
    if (parsed.replies.length === 0) throw new InboxFailure('invalid_argument', 'Nothing was imported: the file has no saved replies.')
    const replies = this.#deps.store().savedReplies
    this.#refuseOverLimit((mode === 'append' ? replies.list().length : 0) + parsed.replies.length, 'Nothing was imported. ')
    const input = parsed.replies.map(toRecordInput)
    if (mode === 'replace') replies.replaceAll(input)
    else replies.add(input)
    this.#deps.onChange()
    return { imported: parsed.replies.length }
  }

  #checked(fields: Fields): SavedReplyDraft {
    const check = checkSavedReply(fields)
    if (!check.ok) throw new InboxFailure('invalid_argument', check.errors.join(' '))
    return check.value
  }

  #refuseOverLimit(count: number, prefix = ''): void {
    if (count > MAX_SAVED_REPLIES) {
      throw new InboxFailure('invalid_argument', `${prefix}You can keep up to ${MAX_SAVED_REPLIES.toLocaleString('en')} saved replies; this would make ${count.toLocaleString('en')}.`)
    }
  }
}
