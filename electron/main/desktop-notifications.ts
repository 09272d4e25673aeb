// The inbox's OS notifications: a new message (a click opens its chat; on macOS an inline reply is sent
// through the outbox), a new comment (a click shows it in the Comments view), a summary of a burst, and
// the follow-up when such a reply fails. Each is held by the
// registry until the OS is done with it, so its handlers are still there when the creator acts.
import { Notification, type NotificationConstructorOptions } from 'electron'
import type { NotificationPlan } from '../../shared/notification-policy.ts'
import { liveNotifications, type NotificationRegistry } from './notification-registry.ts'
import { NotificationReplies, type ReplyInbox } from './notification-replies.ts'

export interface DesktopNotificationsOptions {
  inbox: ReplyInbox
  /** Brings the window up on this chat. */
  openChat(chatId: string): void
  /** Brings the window up on this comment, in the Comments view. */
  openComment(commentId: string): void
  registry?: NotificationRegistry
}

export class DesktopNotifications {
  readonly #openChat: (chatId: string) => void
  readonly #openComment: (commentId: string) => void
  readonly #registry: NotificationRegistry
  readonly #replies: NotificationReplies

  constructor(options: DesktopNotificationsOptions) {
    this.#openChat = options.openChat
    this.#openComment = options.openComment
    this.#registry = options.registry ?? liveNotifications
    this.#replies = new NotificationReplies({
      inbox: options.inbox,
      notify: (followUp) => this.#show({ title: followUp.title, body: followUp.body }, () => this.#openChat(followUp.chatId))
    })
  }

  show(plan: NotificationPlan): void {
    switch (plan.kind) {
      case 'summary': {
        const chatId = plan.chatIds.at(-1)
        const commentId = plan.commentIds?.at(-1)
        this.#show({ title: plan.title, body: plan.body }, () => (chatId !== undefined ? this.#openChat(chatId) : this.#openComment(commentId!)))
        return
      }
      case 'comment':
        this.#show({ title: plan.title, body: plan.body }, () => this.#openComment(plan.commentId))
        return
      case 'message':
        this.#show({ title: plan.title, body: plan.body, hasReply: true, replyPlaceholder: 'Reply…' }, () => this.#openChat(plan.chatId), (text) => {
          void this.#replies.send(plan.chatId, plan.title, text)
        })
    }
  }

  dispose(): void {
    this.#replies.dispose()
  }

  #show(options: NotificationConstructorOptions, onClick: () => void, onReply?: (text: string) => void): void {
    if (!Notification.isSupported()) return
    const notification = new Notification(options)
    notification.on('click', onClick)
    // Sent once, whatever the OS reports afterwards.
    if (onReply) notification.once('reply', (_event, text) => onReply(text))
    this.#registry.show(notification)
  }
}
