import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TRAY_ICON_PNG_BASE64 } from '../../../electron/main/tray-icon.ts'
import { trayMenu, trayTooltip } from '../../../electron/main/tray-menu.ts'

const chats = Array.from({ length: 8 }, (_, i) => ({ chatId: `chat_${i}`, label: `@fan${i}`, unread: i + 1 }))

describe('tray', () => {
  it('says the unread count, or that the app is offline', () => {
    expect(trayTooltip({ unreadTotal: 0, online: true, unreadChats: [] })).toBe('dmdesk — no unread messages')
    expect(trayTooltip({ unreadTotal: 1, online: true, unreadChats: [] })).toBe('dmdesk — 1 unread message')
    expect(trayTooltip({ unreadTotal: 36, online: true, unreadChats: [] })).toBe('dmdesk — 36 unread messages')
    expect(trayTooltip({ unreadTotal: 36, online: false, unreadChats: [] })).toBe('dmdesk — offline, showing cached messages')
  })

  it('offers the window, the first five unread chats, a sync and quit', () => {
    const menu = trayMenu({ unreadTotal: 36, online: true, unreadChats: chats })
    expect(menu.map((item) => item.label)).toEqual([
      'Show dmdesk',
      '@fan0 (1)',
      '@fan1 (2)',
      '@fan2 (3)',
      '@fan3 (4)',
      '@fan4 (5)',
      'Check for new messages',
      'Quit dmdesk'
    ])
    expect(menu[1]).toMatchObject({ action: 'open-chat', chatId: 'chat_0' })
    expect(trayMenu({ unreadTotal: 0, online: false, unreadChats: [] }).map((item) => item.action)).toEqual(['show', 'sync', 'quit'])
  })

  it('embeds the 32x32 app icon unchanged', () => {
    const icon = readFileSync(join(import.meta.dirname, '../../../resources/icons/32x32.png'))
    expect(Buffer.from(TRAY_ICON_PNG_BASE64, 'base64').equals(icon)).toBe(true)
  })
})
