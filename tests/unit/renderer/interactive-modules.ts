// The renderer modules of interactive DMs, loaded by URL and typed by hand (see renderer-modules.ts for why).
import type { ChatReferral, QuotedMessage, ThreadMessage } from '../../../shared/inbox-api.ts'
import type { MessageButton, MessageCard, QuickReply, TappedAction } from '../../../shared/postproxy-interactive.ts'

async function load<Module>(pathUnderLib: string): Promise<Module> {
  const url = new URL(`../../../renderer/src/lib/${pathUnderLib}`, import.meta.url)
  return (await import(url.href)) as Module
}

export interface InteractiveTextModule {
  tapText(tapped: TappedAction): string
  referralText(referral: ChatReferral): string
  quoteAuthor(quote: QuotedMessage, from: string): string
  quoteUnavailableText(quote: QuotedMessage): string
  excerpt(text: string): string
  messageTarget(message: ThreadMessage): string
}

export interface DraftParts {
  quickReplies: { title: string; payload: string }[]
  buttons: { type: 'web_url' | 'postback'; title: string; value: string }[]
  card: { subtitle: string; link: string }
}

export interface InteractiveDraftModule {
  emptyParts(): DraftParts
  hasParts(parts: DraftParts): boolean
  derivePayload(title: string): string
  toSendParts(parts: DraftParts): { quickReplies: QuickReply[] | null; buttons: MessageButton[] | null; card: MessageCard | null }
}

export interface MessageShortcutsModule {
  messageToReplyTo(messages: readonly ThreadMessage[], active: { closest?: unknown } | null): ThreadMessage | null
  messageToLove(messages: readonly ThreadMessage[], active: { closest?: unknown } | null): ThreadMessage | null
}

export const loadInteractiveText = () => load<InteractiveTextModule>('format/interactive-text.ts')
export const loadInteractiveDraft = () => load<InteractiveDraftModule>('composer/interactive-draft.ts')
export const loadMessageShortcuts = () => load<MessageShortcutsModule>('thread/message-shortcuts.ts')
