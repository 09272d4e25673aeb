// The creator's labels: unique names (ignoring case), a palette colour, their order. Every change is
// announced so each window's label filter and chips follow.
import type { Label } from '../../../shared/inbox-api.ts'
import type { LabelColorKey } from '../../../shared/label-palette.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { InboxStore, LabelRow } from '../store/index.ts'

/** Enough for any way of sorting people; a list longer than this stops being a filter. */
export const MAX_LABELS = 100

function toLabel(row: LabelRow): Label {
  return { id: row.id, name: row.name, color: row.color as LabelColorKey, chatCount: row.chat_count }
}

export interface LabelBookDeps {
  store: () => InboxStore
  /** Labels changed: the new list, in order. */
  onChange: (labels: Label[]) => void
}

export class LabelBook {
  readonly #deps: LabelBookDeps

  constructor(deps: LabelBookDeps) {
    this.#deps = deps
  }

  list(): Label[] {
    return this.#deps.store().labels.list().map(toLabel)
  }

  create(name: string, color: LabelColorKey): Label {
    const labels = this.#deps.store().labels
    if (labels.list().length >= MAX_LABELS) throw new InboxFailure('invalid_argument', `You can have up to ${MAX_LABELS} labels. Delete one you no longer use first.`)
    this.#refuseTakenName(name, null)
    const created = toLabel(labels.create(name, color))
    this.#changed()
    return created
  }

  update(id: number, change: { name?: string; color?: LabelColorKey }): Label {
    if (change.name !== undefined) this.#refuseTakenName(change.name, id)
    const updated = this.#deps.store().labels.update(id, change)
    if (!updated) throw new InboxFailure('not_found', 'That label no longer exists.')
    this.#changed()
    return toLabel(updated)
  }

  delete(id: number): void {
    if (!this.#deps.store().labels.delete(id)) throw new InboxFailure('not_found', 'That label no longer exists.')
    this.#changed()
  }

  /** `ids`: every label once, in the new order. */
  reorder(ids: readonly number[]): Label[] {
    const labels = this.#deps.store().labels
    const current = labels.list().map((l) => l.id)
    if (ids.length !== current.length || new Set(ids).size !== ids.length || !ids.every((id) => current.includes(id))) {
      throw new InboxFailure('invalid_argument', 'The labels changed meanwhile. Try moving it again.')
    }
    labels.reorder(ids)
    return this.#changed()
  }

  #refuseTakenName(name: string, ownId: number | null): void {
    const taken = this.#deps.store().labels.idByName(name)
    if (taken !== null && taken !== ownId) throw new InboxFailure('invalid_argument', `There is already a label called “${name}”.`)
  }

  #changed(): Label[] {
    const labels = this.list()
    this.#deps.onChange(labels)
    return labels
  }
}
