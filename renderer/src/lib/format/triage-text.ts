// Triage in words: why a chat came back, until when it sleeps, and what the undo toast says happened.
import type { ChatSummary, ReturnReason, TriageAction } from '../../../../shared/inbox-api.ts'
import { participantHandle } from './participant-text.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const weekdayClock = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' })
const dateClock = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })

export const RETURN_NOTES: Record<ReturnReason, string> = {
  snooze_ended: 'Snooze ended',
  wrote_again: 'Wrote again'
}

function startOfDay(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** A time ahead, as short as it can be: "16:00", "tomorrow 8:00", "Mon 8:00", "Tue, Jun 16, 8:00". */
export function laterTime(at: number, now: number): string {
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY)
  if (days === 0) return clock.format(at)
  if (days === 1) return `tomorrow ${clock.format(at)}`
  if (days > 1 && days < 7) return weekdayClock.format(at)
  return dateClock.format(at)
}

function whom(chats: readonly ChatSummary[], count: number): string {
  return count === 1 && chats[0] ? participantHandle(chats[0].participant, chats[0].platform) : `${count} chats`
}

/** What the undo toast says after an action on `count` chats (`chats`: those known to the list). */
export function triageToastText(action: TriageAction, chats: readonly ChatSummary[], count: number, now: number, labelName?: string): string {
  const who = whom(chats, count)
  switch (action.kind) {
    case 'done':
      return `Marked done: ${who}`
    case 'snooze':
      return `Snoozed until ${laterTime(Date.parse(action.until), now)}: ${who}`
    case 'inbox':
      return `Back in the inbox: ${who}`
    case 'pin':
      return `Pinned: ${who}`
    case 'unpin':
      return `Unpinned: ${who}`
    case 'label':
      return `${action.on ? 'Labelled' : 'Label removed'} “${labelName ?? 'label'}”: ${who}`
  }
}
