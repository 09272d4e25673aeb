// The app window: the security defaults, no navigation away from the app, links to the system
// browser after the scheme allowlist, and its size and place remembered.
import { BrowserWindow, screen, shell } from 'electron'
import { openableExternalUrl } from './external-links.ts'
import { secureWindowOptions } from './window-options.ts'
import type { WindowStateStore } from './window-state.ts'

export function createMainWindow(options: { preloadPath: string; rendererUrl: string; state: WindowStateStore }): BrowserWindow {
  // Only checked numbers come back from the saved state (see window-state.ts), never stored options.
  const bounds = options.state.load(screen.getAllDisplays().map((display) => display.workArea))
  const window = new BrowserWindow({ ...secureWindowOptions(options.preloadPath), ...bounds })
  const contents = window.webContents
  // The renderer is a single page on app://: nothing may replace it, neither another app:// URL nor
  // file:// nor the web (links go through the window-open handler to the system browser).
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const external = openableExternalUrl(url)
    if (external) void shell.openExternal(external)
    return { action: 'deny' }
  })
  const remember = () => {
    if (!window.isMinimized() && !window.isFullScreen()) options.state.save(window.getBounds())
  }
  window.on('resize', remember)
  window.on('move', remember)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.rendererUrl)
  return window
}
