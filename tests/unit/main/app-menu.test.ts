// The application menu: File ▸ New Chat… (Ctrl/⌘+N) asks for the New chat dialog; the rest is Electron's own.
import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { appMenuTemplate } from '../../../electron/main/app-menu.ts'

function fileMenu(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const file = template.find((menu) => menu.label === 'File')
  return (file?.submenu ?? []) as MenuItemConstructorOptions[]
}

describe('application menu', () => {
  it('offers New Chat… in File with Ctrl/⌘+N, which asks for the New chat dialog', () => {
    const asked: string[] = []
    const template = appMenuTemplate('linux', { newChat: () => asked.push('new chat') })
    const newChat = fileMenu(template).find((item) => item.label === 'New Chat…')
    expect(newChat).toMatchObject({ accelerator: 'CmdOrCtrl+N' })
    ;(newChat!.click as () => void)()
    expect(asked).toEqual(['new chat'])
  })

  it('keeps the standard menus: Quit in File elsewhere, the app menu and Close on macOS', () => {
    const linux = appMenuTemplate('linux', { newChat: () => {} })
    expect(linux.map((menu) => menu.role ?? menu.label)).toEqual(['File', 'editMenu', 'viewMenu', 'windowMenu'])
    expect(fileMenu(linux).at(-1)).toEqual({ role: 'quit' })
    const mac = appMenuTemplate('darwin', { newChat: () => {} })
    expect(mac.map((menu) => menu.role ?? menu.label)).toEqual(['appMenu', 'File', 'editMenu', 'viewMenu', 'windowMenu'])
    expect(fileMenu(mac).at(-1)).toEqual({ role: 'close' })
  })
})
