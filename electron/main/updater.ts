// Electron glue for updates: picks the feed (off unless configured), hands electron-updater's
// autoUpdater to UpdateWatch, and turns its notices into OS notifications. Call startUpdater() once
// after `app.whenReady()`; the decisions live in update-source.ts and update-watch.ts.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, Notification } from 'electron'
import electronUpdater from 'electron-updater'
import { PRODUCT_NAME } from './app-identity.ts'
import { liveNotifications } from './notification-registry.ts'
import { resolveUpdateSource } from './update-source.ts'
import { UpdateWatch, type UpdateNotice } from './update-watch.ts'

const FIRST_CHECK_AFTER_MS = 30_000
const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

export interface StartUpdaterOptions {
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
  /** Replaces the default OS notification (e.g. to show the notice inside the window instead). */
  notify?: (notice: UpdateNotice, watch: UpdateWatch) => void
}

function showNotification(notice: UpdateNotice, watch: UpdateWatch): void {
  if (!Notification.isSupported()) return
  const toast = new Notification({ title: notice.title, body: notice.body })
  if (notice.kind === 'ready') toast.on('click', () => watch.installNow())
  liveNotifications.show(toast)
}

/** Starts background update checks, or returns null (and logs why) when updates are off. */
export function startUpdater(options: StartUpdaterOptions = {}): UpdateWatch | null {
  const log = options.log ?? ((line: string) => console.log(line))
  const source = resolveUpdateSource({
    env: options.env ?? process.env,
    isPackaged: app.isPackaged,
    hasBakedFeed: app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml'))
  })
  if (source.kind === 'off') {
    log(`update: checks are off: ${source.reason}`)
    return null
  }
  const notify = options.notify ?? showNotification
  const watch: UpdateWatch = new UpdateWatch(electronUpdater.autoUpdater, {
    source,
    productName: PRODUCT_NAME,
    autoDownload: true,
    notify: (notice) => notify(notice, watch),
    log
  })
  watch.schedule(FIRST_CHECK_AFTER_MS, CHECK_EVERY_MS)
  return watch
}
