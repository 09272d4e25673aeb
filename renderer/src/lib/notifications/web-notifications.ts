// Web mode's notifications through the browser's Notifications API (Electron's main process
// notifies natively instead). Permission is asked once, from a user gesture, only while the creator
// has notifications turned on.
import type { NotificationPlan } from '../../../../shared/notification-policy.ts'

/** Notifications with the same tag replace each other: a chat's latest, and one summary, update in place. */
export interface NoticeToShow {
  title: string
  body: string
  tag: string
  /** The chat a click opens. */
  chatId: string
}

export function noticeFor(plan: NotificationPlan): NoticeToShow {
  return plan.kind === 'message'
    ? { title: plan.title, body: plan.body, tag: `dmdesk-chat-${plan.chatId}`, chatId: plan.chatId }
    : { title: plan.title, body: plan.body, tag: 'dmdesk-summary', chatId: plan.chatIds.at(-1)! }
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

export function showWebNotification(notice: NoticeToShow, onOpen: (chatId: string) => void): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return
  try {
    const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag })
    notification.onclick = () => {
      window.focus()
      onOpen(notice.chatId)
      notification.close()
    }
  } catch (error) {
    console.error('dmdesk: the browser refused to show a notification', error)
  }
}
