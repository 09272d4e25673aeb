// The tray: the unread count at a glance and the few things worth doing without the window.
// The menu's content is plain data, so it is tested without Electron; index.ts turns it into a Tray.

export interface TrayMenuItem {
  label: string
  action: 'show' | 'open-chat' | 'sync' | 'quit'
  chatId?: string
  enabled?: boolean
}

export interface TrayState {
  unreadTotal: number
  online: boolean
  /** Chats with unread messages, newest first: the menu offers the first few. */
  unreadChats: { chatId: string; label: string; unread: number }[]
}

const SHORTCUT_CHATS = 5

export function trayTooltip(state: TrayState): string {
  if (!state.online) return 'dmdesk — offline, showing cached messages'
  if (state.unreadTotal === 0) return 'dmdesk — no unread messages'
  return `dmdesk — ${state.unreadTotal} unread message${state.unreadTotal === 1 ? '' : 's'}`
}

export function trayMenu(state: TrayState): TrayMenuItem[] {
  const chats = state.unreadChats.slice(0, SHORTCUT_CHATS).map((chat) => ({
    label: `${chat.label} (${chat.unread})`,
    action: 'open-chat' as const,
    chatId: chat.chatId
  }))
  return [
    { label: 'Show dmdesk', action: 'show' },
    ...chats,
    { label: state.online ? 'Check for new messages' : 'Offline — check again', action: 'sync' },
    { label: 'Quit dmdesk', action: 'quit' }
  ]
}
