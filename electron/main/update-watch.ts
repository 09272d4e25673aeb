// Drives an electron-updater updater against the configured feed and decides what the creator is told.
// Free of `electron` imports: tests run it under plain Node with a real electron-updater updater, a
// test app adapter and a loopback feed; updater.ts hands it electron-updater's autoUpdater.
import type { AppUpdater, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater'
import type { UpdateSource } from './update-source.ts'

export interface UpdateNotice {
  /** `available`: a newer version exists (not downloaded automatically). `ready`: downloaded, installs on restart. */
  kind: 'available' | 'ready'
  version: string
  title: string
  body: string
}

export type UpdateCheckOutcome =
  | { kind: 'up-to-date'; latestVersion: string }
  | { kind: 'available'; version: string }
  | { kind: 'failed'; message: string }

export function updateNotice(kind: UpdateNotice['kind'], version: string, productName: string): UpdateNotice {
  if (kind === 'ready') {
    return {
      kind,
      version,
      title: `${productName} ${version} is ready to install`,
      body: `Restart ${productName} to finish updating (it also installs the next time you quit). Your messages stay on this computer.`
    }
  }
  return { kind, version, title: `${productName} ${version} is available`, body: `A new version of ${productName} is ready to download.` }
}

/** Plain words for a failed check or download; the technical detail goes to the log only. */
export function explainUpdateFailure(error: unknown, productName: string): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : ''
  const message = error instanceof Error ? error.message : String(error)
  if (/sha512 checksum mismatch|ERR_CHECKSUM/i.test(message) || code === 'ERR_CHECKSUM_MISMATCH') {
    return `The downloaded ${productName} update was damaged, so it was discarded. ${productName} will try again later.`
  }
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || /\b404\b/.test(message)) {
    return `The update server has no ${productName} release for this system yet.`
  }
  if (code === 'ERR_UPDATER_INVALID_UPDATE_INFO' || code === 'ERR_UPDATER_INVALID_VERSION' || /YAML|Cannot parse update info/i.test(message)) {
    return `The update server answered with something that isn't a ${productName} update.`
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|net::ERR_/i.test(`${code} ${message}`)) {
    return `${productName} couldn't reach the update server. It will try again later.`
  }
  return `${productName} couldn't check for updates. It will try again later.`
}

export interface UpdateWatchOptions {
  source: Exclude<UpdateSource, { kind: 'off' }>
  productName: string
  /** Download a newer version in the background, then offer a restart (true in the app). */
  autoDownload: boolean
  notify: (notice: UpdateNotice) => void
  log: (line: string) => void
}

export class UpdateWatch {
  readonly #updater: AppUpdater
  readonly #options: UpdateWatchOptions
  readonly #timers: Array<ReturnType<typeof setTimeout>> = []
  readonly #onAvailable = (info: UpdateInfo) => {
    if (!this.#options.autoDownload) this.#options.notify(updateNotice('available', info.version, this.#options.productName))
  }
  readonly #onDownloaded = (event: UpdateDownloadedEvent) => {
    this.#options.notify(updateNotice('ready', event.version, this.#options.productName))
  }
  readonly #onError = (error: Error) => {
    this.#options.log(`update: ${explainUpdateFailure(error, this.#options.productName)} (${error.message})`)
  }

  constructor(updater: AppUpdater, options: UpdateWatchOptions) {
    this.#updater = updater
    this.#options = options
    updater.autoDownload = options.autoDownload
    updater.autoInstallOnAppQuit = true
    updater.logger = { info: () => {}, warn: (line) => options.log(`update: ${line}`), error: () => {} } // errors arrive through #onError
    if (options.source.kind === 'feed') updater.setFeedURL({ provider: 'generic', url: options.source.url, channel: 'latest' })
    updater.on('update-available', this.#onAvailable)
    updater.on('update-downloaded', this.#onDownloaded)
    updater.on('error', this.#onError)
  }

  /** Asks the feed once. Never throws: a failed check is an outcome (and a log line), not a crash. */
  async checkNow(): Promise<UpdateCheckOutcome> {
    try {
      const result = await this.#updater.checkForUpdates()
      if (!result) return { kind: 'failed', message: `${this.#options.productName} isn't running from an installed package, so it can't update itself.` }
      // A failed download is reported through the error event; the promise must not go unhandled.
      result.downloadPromise?.catch(() => {})
      if (!result.isUpdateAvailable) return { kind: 'up-to-date', latestVersion: result.updateInfo.version }
      return { kind: 'available', version: result.updateInfo.version }
    } catch (error) {
      return { kind: 'failed', message: explainUpdateFailure(error, this.#options.productName) }
    }
  }

  /** Checks after `firstAfterMs`, then every `everyMs`, until stop(). The timers never keep the app alive. */
  schedule(firstAfterMs: number, everyMs: number): void {
    const first = setTimeout(() => void this.checkNow(), firstAfterMs)
    const repeat = setInterval(() => void this.checkNow(), everyMs)
    first.unref()
    repeat.unref()
    this.#timers.push(first, repeat)
  }

  /** Quits the app and runs the downloaded installer (call after a `ready` notice). */
  installNow(): void {
    this.#updater.quitAndInstall()
  }

  stop(): void {
    for (const timer of this.#timers.splice(0)) clearTimeout(timer)
    this.#updater.off('update-available', this.#onAvailable)
    this.#updater.off('update-downloaded', this.#onDownloaded)
    this.#updater.off('error', this.#onError)
  }
}
