// The application menu: Electron's standard menus, with the app's own commands added to File. Plain data
// (Electron's template shape, built here without Electron), so it is tested without Electron; index.ts
// turns it into the menu and gives each command what it does.
import type { MenuItemConstructorOptions } from 'electron'

export interface AppMenuCommands {
  /** File ▸ New Chat…: the dialog that finds or creates a chat by Instagram-scoped ID. */
  newChat: () => void
}

export function appMenuTemplate(platform: NodeJS.Platform, commands: AppMenuCommands): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Chat…', accelerator: 'CmdOrCtrl+N', click: () => commands.newChat() },
      { type: 'separator' },
      // What Electron's own File menu holds: Close on macOS (the app keeps running), Quit elsewhere.
      platform === 'darwin' ? { role: 'close' } : { role: 'quit' }
    ]
  }
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' }
  ]
}
