// Web mode's notifications through the browser's Notifications API (Electron's main process
// notifies natively instead). Permission is asked once, from a user gesture, only while the creator
// has notifications turned on.
import type { NotificationPlan } from '../../../../shared/notification-policy.ts'

/** Notifications with the same tag replace each other: a chat's latest, and one summary, update in place. */
export interface NoticeToShow {
  title: string
  body: string
  tag: string
  /** The chat a click opens; null when it opens the Comments view. */
  chatId: string | null
  /** The comment a click shows (a comment, or a burst of only comments). */
  commentId?: string
}

export function noticeFor(plan: NotificationPlan): NoticeToShow {
  switch (plan.kind) {
    case 'message':
      return { title: plan.title, body: plan.body, tag: `dmdesk-chat-${plan.chatId}`, chatId: plan.chatId }
    case 'comment':
      return { title: plan.title, body: plan.body, tag: `dmdesk-comment-${plan.commentId}`, chatId: null, commentId: plan.commentId }
    case 'summary': {
      const chatId = plan.chatIds.at(-1)
      return chatId !== undefined
        ? { title: plan.title, body: plan.body, tag: 'dmdesk-summary', chatId }
        : { title: plan.title, body: plan.body, tag: 'dmdesk-summary', chatId: null, commentId: plan.commentIds!.at(-1)! }
    }
  }
}

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window
}

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return notificationsSupported() ? Notification.permission : 'unsupported'
}

export async function requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (!notificationsSupported()) return 'unsupported'
  if (Notification.permission !== 'default') return Notification.permission
  try {
    return await Notification.requestPermission()
  } catch {
    return Notification.permission
  }
}

export function showWebNotification(notice: NoticeToShow, onOpen: (notice: NoticeToShow) => void): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return
  try {
    const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag })
    notification.onclick = () => {
      window.focus()
      onOpen(notice)
      notification.close()
    }
  } catch (error) {
    console.error('dmdesk: the browser refused to show a notification', error)
  }
}
