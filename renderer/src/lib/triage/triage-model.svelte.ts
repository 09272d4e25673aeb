// Triage in the renderer: the labels, running an action (the rows that leave the list go at once, the
// core's push then confirms the list), and the undo toast for the last action.
import type { ChatSummary, ChatView, InboxApi, Label, TriageAction } from '../../../../shared/inbox-api.ts'
import { triageToastText } from '../format/triage-text.ts'
import type { ChatListModel } from '../inbox/chat-list.svelte.ts'

export interface TriageToast {
  /** Changes with every toast, so a new one restarts its timer. */
  serial: number
  message: string
  /** Set while the action can be undone. */
  undoId: string | null
  isError: boolean
}

/** Whether `action` takes a chat out of `view` (then its row leaves the list at once). */
export function leavesView(action: TriageAction, view: ChatView, labelFilter: number | null): boolean {
  switch (action.kind) {
    case 'done':
      return view !== 'done'
    case 'snooze':
      return view !== 'snoozed'
    case 'inbox':
      return view !== 'inbox'
    case 'label':
      return !action.on && action.labelId === labelFilter
    default:
      return false
  }
}

export class TriageModel {
  labels = $state.raw<Label[]>([])
  toast = $state<TriageToast | null>(null)
  private serial = 0
  private readonly api: InboxApi
  private readonly chats: ChatListModel
  private readonly now: () => number

  constructor(api: InboxApi, chats: ChatListModel, now: () => number) {
    this.api = api
    this.chats = chats
    this.now = now
  }

  async loadLabels(): Promise<void> {
    const result = await this.api.listLabels()
    if (result.ok) this.labels = result.value
  }

  applyLabels(labels: Label[]): void {
    this.labels = labels
    // A deleted label can't filter the list any more.
    if (this.chats.labelId !== null && !labels.some((l) => l.id === this.chats.labelId)) void this.chats.setLabel(null)
  }

  labelById(id: number): Label | undefined {
    return this.labels.find((l) => l.id === id)
  }

  /** Runs `action` on the chats; returns whether it was done. */
  async run(chatIds: string[], action: TriageAction): Promise<boolean> {
    if (chatIds.length === 0) return false
    const known: ChatSummary[] = chatIds.flatMap((id) => this.chats.byId(id) ?? [])
    if (leavesView(action, this.chats.view, this.chats.labelId)) this.chats.removeLocally(chatIds)
    const result = await this.api.triageChats({ chatIds, action })
    if (!result.ok) {
      this.show(result.error.message, null, true)
      void this.chats.refresh()
      return false
    }
    const label = action.kind === 'label' ? this.labelById(action.labelId)?.name : undefined
    this.show(triageToastText(action, known, result.value.chatIds.length, this.now(), label), result.value.undoId)
    return true
  }

  async undo(): Promise<void> {
    const undoId = this.toast?.undoId
    if (!undoId) return
    const result = await this.api.undoTriage({ undoId })
    if (result.ok) {
      this.show('Undone.', null)
      void this.chats.refresh()
    } else this.show(result.error.message, null, true)
  }

  show(message: string, undoId: string | null, isError = false): void {
    this.toast = { serial: ++this.serial, message, undoId, isError }
  }

  dismiss(serial: number): void {
    if (this.toast?.serial === serial) this.toast = null
  }
}
