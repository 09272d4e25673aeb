// Change notifications, delivered only after the transaction that made the change has committed: a listener
// never sees data that a rollback then takes back. The core turns these into InboxEvents for the renderer.

export type StoreEventMap = {
  /** Rows of the chat list changed: activity, unread count, preview, participant, draft. */
  chatsChanged: { chatIds: string[] }
  /** Messages of one chat were added or changed (including optimistic sends and reactions). */
  messagesChanged: { chatId: string }
  /** Queued sends were added, changed state, or removed. */
  outboxChanged: { localIds: string[] }
  /** Comments, or the posts they are on, were added or changed. */
  commentsChanged: { commentIds: string[] }
}

export type StoreEventName = keyof StoreEventMap
export type StoreListener<E extends StoreEventName> = (payload: StoreEventMap[E]) => void

export class StoreEvents {
  private readonly listeners: { [E in StoreEventName]: Set<StoreListener<E>> } = {
    chatsChanged: new Set(),
    messagesChanged: new Set(),
    outboxChanged: new Set(),
    commentsChanged: new Set()
  }
  private readonly onListenerError: (error: unknown) => void

  constructor(onListenerError: (error: unknown) => void) {
    this.onListenerError = onListenerError
  }

  /** Returns the function that unsubscribes. */
  on<E extends StoreEventName>(event: E, listener: StoreListener<E>): () => void {
    const set = this.listeners[event] as Set<StoreListener<E>>
    set.add(listener)
    return () => {
      set.delete(listener)
    }
  }

  emit<E extends StoreEventName>(event: E, payload: StoreEventMap[E]): void {
    for (const listener of [...(this.listeners[event] as Set<StoreListener<E>>)]) {
      // The data is already committed: a failing listener must not make the write look failed.
      try {
        listener(payload)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }
}

/** Collects what a transaction touched; flushed once at the outermost commit, dropped on rollback. */
export class PendingChanges {
  private chats = new Set<string>()
  private messageChats = new Set<string>()
  private outbox = new Set<string>()
  private comments = new Set<string>()

  chat(chatId: string): void {
    this.chats.add(chatId)
  }

  messages(chatId: string): void {
    this.messageChats.add(chatId)
    // The chat list shows the newest message and the unread count, so it changes too.
    this.chats.add(chatId)
  }

  outboxItem(localId: string): void {
    this.outbox.add(localId)
  }

  comment(commentId: string): void {
    this.comments.add(commentId)
  }

  discard(): void {
    this.chats = new Set()
    this.messageChats = new Set()
    this.outbox = new Set()
    this.comments = new Set()
  }

  flush(events: StoreEvents): void {
    const chats = [...this.chats]
    const messageChats = [...this.messageChats]
    const outbox = [...this.outbox]
    const comments = [...this.comments]
    this.discard()
    if (chats.length > 0) events.emit('chatsChanged', { chatIds: chats })
    for (const chatId of messageChats) events.emit('messagesChanged', { chatId })
    if (outbox.length > 0) events.emit('outboxChanged', { localIds: outbox })
    if (comments.length > 0) events.emit('commentsChanged', { commentIds: comments })
  }
}
