// Working the inbox down: done, snooze, back to the inbox, pin, and labels on or off, for one chat or a
// whole selection, each undoable for a moment. Snoozes end on the app clock (SnoozeAlarm) and a chat
// comes back by itself when the person writes again (a trigger, see store/triage-schema.ts).
import type { TriageAction, TriageOutcome } from '../../../shared/inbox-api.ts'
import type { AppTimers } from '../app-timers.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { ChatLabelRow, ChatTriageRow, InboxStore } from '../store/index.ts'
import { SnoozeAlarm } from './snooze-alarm.ts'
import { UndoLog } from './undo-log.ts'

/** The longest snooze: past a year, "Done" says it better. */
const LONGEST_SNOOZE_MS = 366 * 24 * 60 * 60_000

type BeforeAction = { chatIds: string[]; triage: ChatTriageRow[]; labels: ChatLabelRow[] }

export interface ChatTriageDeps {
  /** The cache in use now (it is replaced when signing out wipes it). */
  store: () => InboxStore
  now: () => number
  timers: AppTimers
}

export class ChatTriage {
  readonly #deps: ChatTriageDeps
  readonly #undo: UndoLog<BeforeAction>
  readonly #alarm: SnoozeAlarm

  constructor(deps: ChatTriageDeps) {
    this.#deps = deps
    this.#undo = new UndoLog(deps.now)
    this.#alarm = new SnoozeAlarm({
      now: deps.now,
      timers: deps.timers,
      nextWakeAt: () => deps.store().triage.nextWakeAt(),
      wakeDue: (now) => deps.store().triage.wakeDue(now)
    })
  }

  /** Wakes the snoozes that ended while the app was closed and arms the timer (at start-up, after a wipe). */
  start(): void {
    this.#alarm.check()
  }

  stop(): void {
    this.#alarm.stop()
  }

  /** The shell saw the machine wake or the app come back: a timer may have slept through a snooze's end. */
  checkSnoozes(): void {
    this.#alarm.check()
  }

  apply(chatIds: readonly string[], action: TriageAction): TriageOutcome {
    const store = this.#deps.store()
    const snoozeUntil = action.kind === 'snooze' ? this.#snoozeEnd(action.until) : null
    if (action.kind === 'label' && !store.labels.get(action.labelId)) throw new InboxFailure('not_found', 'That label no longer exists.')
    const outcome = store.transaction(() => {
      const existing = store.triage.existingChats(chatIds)
      if (existing.length === 0) throw new InboxFailure('not_found', 'This conversation is not in your inbox any more.')
      const before: BeforeAction = { chatIds: existing, triage: store.triage.snapshot(existing), labels: store.labels.assignmentsOf(existing) }
      switch (action.kind) {
        case 'done':
          store.triage.putAway(existing, 'done', null)
          break
        case 'snooze':
          store.triage.putAway(existing, 'snoozed', snoozeUntil)
          break
        case 'inbox':
          store.triage.returnToInbox(existing)
          break
        case 'pin':
        case 'unpin':
          store.triage.setPinned(existing, action.kind === 'pin')
          break
        case 'label':
          store.labels.assign(existing, action.labelId, action.on)
          break
      }
      return { undoId: this.#undo.record(before), chatIds: existing }
    })
    this.#alarm.rearm()
    return outcome
  }

  /** Puts the chats of an action back exactly as they were before it. */
  undo(undoId: string): void {
    const before = this.#undo.take(undoId)
    if (!before) throw new InboxFailure('not_found', 'That can no longer be undone.')
    const store = this.#deps.store()
    store.transaction(() => {
      store.triage.restore(before.chatIds, before.triage)
      store.labels.restoreAssignments(store.triage.existingChats(before.chatIds), before.labels)
    })
    this.#alarm.rearm()
  }

  /** The creator answered a chat that came back: its "why it came back" note has done its job. */
  noteReplied(chatId: string): void {
    this.#deps.store().triage.acknowledgeReturn(chatId)
  }

  #snoozeEnd(until: string): number {
    const at = Date.parse(until)
    const now = this.#deps.now()
    if (!(at > now)) throw new InboxFailure('invalid_argument', 'That time has already passed. Choose a time in the future to snooze until.')
    if (at - now > LONGEST_SNOOZE_MS) throw new InboxFailure('invalid_argument', 'You can snooze a chat for up to a year. Mark it done instead?')
    return at
  }
}
