import type { BrowserWindowConstructorOptions } from 'electron'

export const MIN_WINDOW_WIDTH = 720
export const MIN_WINDOW_HEIGHT = 480

/** The security defaults of ARCHITECTURE.md: the renderer gets no Node, no raw IPC, an isolated world and the sandbox. */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 780,
    minWidth: MIN_WINDOW_WIDTH,
    minHeight: MIN_WINDOW_HEIGHT,
    show: false,
    title: 'dmdesk',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true
    }
  }
}
