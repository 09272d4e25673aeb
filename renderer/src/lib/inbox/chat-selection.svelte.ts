// Which chats are selected for a bulk action: Ctrl/Cmd-click or X toggles one, Shift-click selects a
// range from the last toggled chat, Shift+Up/Down extends it from the keyboard. Chats that leave the
// list (done, snoozed, filtered out) leave the selection too.
import { SvelteSet } from 'svelte/reactivity'

export class ChatSelection {
  readonly ids = new SvelteSet<string>()
  /** Where a Shift-range starts: the chat toggled last. */
  private anchor: string | null = null

  get size(): number {
    return this.ids.size
  }

  has(chatId: string): boolean {
    return this.ids.has(chatId)
  }

  toggle(chatId: string): void {
    if (this.ids.has(chatId)) this.ids.delete(chatId)
    else this.ids.add(chatId)
    this.anchor = chatId
  }

  add(chatId: string): void {
    this.ids.add(chatId)
    this.anchor ??= chatId
  }

  /** Selects every chat between the anchor and `chatId` in `order` (the list as shown), both included. */
  selectRange(chatId: string, order: readonly string[]): void {
    const from = this.anchor === null ? -1 : order.indexOf(this.anchor)
    const to = order.indexOf(chatId)
    if (to < 0) return
    if (from < 0) {
      this.toggle(chatId)
      return
    }
    const [start, end] = from <= to ? [from, to] : [to, from]
    for (const id of order.slice(start, end + 1)) this.ids.add(id)
  }

  /** Keeps only the chats still in `order`. */
  retain(order: readonly string[]): void {
    if (this.ids.size === 0) return
    const present = new Set(order)
    for (const id of [...this.ids]) if (!present.has(id)) this.ids.delete(id)
    if (this.anchor !== null && !present.has(this.anchor)) this.anchor = null
  }

  /** The selected chats in list order. */
  inOrder(order: readonly string[]): string[] {
    return order.filter((id) => this.ids.has(id))
  }

  clear(): void {
    this.ids.clear()
    this.anchor = null
  }
}
