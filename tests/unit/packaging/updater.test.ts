// The update path end to end under plain Node: electron-updater's real DebUpdater (the updater a deb
// install gets) checks a real generic feed served on 127.0.0.1, compares versions, downloads and verifies
// the installer, and UpdateWatch turns that into what the creator is told. Only Electron's parts are
// replaced: the app adapter (version, paths) and the HTTP transport (Electron's net -> node:http).
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { createServer, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DebUpdater } from 'electron-updater'
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js'
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js'
import { afterEach, describe, expect, it } from 'vitest'
import { UpdateWatch, explainUpdateFailure, updateNotice, type UpdateNotice } from '../../../electron/main/update-watch.ts'
import { FeedServer } from './feed-server.ts'

// electron-updater names the Linux feed file by CPU: latest-linux.yml on x64, latest-linux-arm64.yml on arm64.
const FEED_FILE = process.arch === 'x64' ? 'latest-linux.yml' : `latest-linux-${process.arch}.yml`

class NodeTransport extends ElectronHttpExecutor {
  override createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ReturnType<ElectronHttpExecutor['createRequest']> {
    // node:http's request offers what electron-updater uses of Electron's (on, end, abort, headers).
    return httpRequest(options, callback) as unknown as ReturnType<ElectronHttpExecutor['createRequest']>
  }
}

let dirs: string[] = []
let servers: FeedServer[] = []
let watches: UpdateWatch[] = []

afterEach(async () => {
  for (const watch of watches) watch.stop()
  await Promise.all(servers.map((server) => server.stop()))
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs = []
  servers = []
  watches = []
})

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

interface Release {
  version: string
  installer?: Buffer
  /** Advertise a checksum that does not match the served installer. */
  corruptChecksum?: boolean
}

/** Writes a feed folder the way `npm run dist:linux` with DMDESK_UPDATE_URL lays it out for upload. */
function publishFeed(release: Release): { dir: string; installerName: string; installer: Buffer } {
  const dir = tempDir('dmdesk-feed-')
  const installer = release.installer ?? Buffer.from(`dmdesk ${release.version} installer bytes`)
  const installerName = `dmdesk-${release.version}-linux-amd64.deb`
  writeFileSync(join(dir, installerName), installer)
  const served = release.corruptChecksum ? Buffer.concat([installer, Buffer.from('tampered')]) : installer
  const sha512 = createHash('sha512').update(served).digest('base64')
  writeFileSync(
    join(dir, FEED_FILE),
    [
      `version: ${release.version}`,
      'files:',
      `  - url: ${installerName}`,
      `    sha512: ${sha512}`,
      `    size: ${installer.length}`,
      `path: ${installerName}`,
      `sha512: ${sha512}`,
      "releaseDate: '2026-03-01T10:00:00.000Z'",
      ''
    ].join('\n')
  )
  return { dir, installerName, installer }
}

async function serve(dir: string): Promise<FeedServer> {
  const server = await new FeedServer(dir).start()
  servers.push(server)
  return server
}

/** An installed dmdesk at `version`, with the app-update.yml electron-builder bakes into resources/. */
function installedApp(version: string, feedUrl: string): { adapter: AppAdapter; cacheDir: string } {
  const dir = tempDir('dmdesk-installed-')
  const appUpdateConfigPath = join(dir, 'app-update.yml')
  writeFileSync(appUpdateConfigPath, `provider: generic\nurl: ${feedUrl}\nchannel: latest\nupdaterCacheDirName: dmdesk-updater\n`)
  const adapter: AppAdapter = {
    version,
    name: 'dmdesk',
    isPackaged: true,
    appUpdateConfigPath,
    userDataPath: join(dir, 'user-data'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {}
  }
  return { adapter, cacheDir: join(dir, 'cache', 'dmdesk-updater') }
}

function watchUpdates(adapter: AppAdapter, options: { feedUrl?: string; autoDownload: boolean }) {
  const updater = new DebUpdater(null, adapter)
  // electron-updater's own tests swap the transport the same way: the executor is otherwise Electron's net module.
  ;(updater as unknown as { httpExecutor: ElectronHttpExecutor }).httpExecutor = new NodeTransport()
  const notices: UpdateNotice[] = []
  const logs: string[] = []
  let noticeArrived: (notice: UpdateNotice) => void = () => {}
  const nextNotice = new Promise<UpdateNotice>((resolve) => (noticeArrived = resolve))
  const watch = new UpdateWatch(updater, {
    source: options.feedUrl ? { kind: 'feed', url: options.feedUrl, origin: 'environment' } : { kind: 'baked', origin: 'build' },
    productName: 'dmdesk',
    autoDownload: options.autoDownload,
    notify: (notice) => {
      notices.push(notice)
      noticeArrived(notice)
    },
    log: (line) => logs.push(line)
  })
  watches.push(watch)
  return { watch, notices, logs, nextNotice, updater }
}

describe('update path against a loopback feed', () => {
  it('finds a newer version in the baked feed, downloads and verifies it, then offers a restart', async () => {
    const feed = publishFeed({ version: '0.2.0' })
    const server = await serve(feed.dir)
    const { adapter, cacheDir } = installedApp('0.1.0', server.url)
    const { watch, notices, nextNotice } = watchUpdates(adapter, { autoDownload: true })

    await expect(watch.checkNow()).resolves.toEqual({ kind: 'available', version: '0.2.0' })
    const notice = await nextNotice
    expect(notice).toEqual(updateNotice('ready', '0.2.0', 'dmdesk'))
    expect(notice.title).toBe('dmdesk 0.2.0 is ready to install')
    expect(notices).toHaveLength(1)
    // What crossed the wire: the Linux feed file, then the installer it names.
    expect(server.requestedPaths).toEqual([`/${FEED_FILE}`, `/${feed.installerName}`])
    expect(readFileSync(join(cacheDir, 'pending', feed.installerName))).toEqual(feed.installer)
  })

  it('with automatic download off, tells the creator a version is available and downloads nothing', async () => {
    const feed = publishFeed({ version: '1.0.0' })
    const server = await serve(feed.dir)
    const { adapter, cacheDir } = installedApp('0.9.3', server.url)
    const { watch, notices } = watchUpdates(adapter, { autoDownload: false })

    await expect(watch.checkNow()).resolves.toEqual({ kind: 'available', version: '1.0.0' })
    expect(notices).toEqual([updateNotice('available', '1.0.0', 'dmdesk')])
    expect(server.requestedPaths).toEqual([`/${FEED_FILE}`])
    expect(existsSync(join(cacheDir, 'pending'))).toBe(false)
  })

  it.each([
    ['the same version', '0.4.0'],
    ['an older version', '0.3.9']
  ])('stays quiet when the feed offers %s', async (_label, feedVersion) => {
    const server = await serve(publishFeed({ version: feedVersion }).dir)
    const { adapter } = installedApp('0.4.0', server.url)
    const { watch, notices } = watchUpdates(adapter, { autoDownload: true })

    await expect(watch.checkNow()).resolves.toEqual({ kind: 'up-to-date', latestVersion: feedVersion })
    expect(notices).toEqual([])
    expect(server.requestedPaths).toEqual([`/${FEED_FILE}`])
  })

  it('a feed URL from the environment overrides the baked one', async () => {
    const baked = await serve(publishFeed({ version: '0.1.0' }).dir)
    const staging = await serve(publishFeed({ version: '0.5.0' }).dir)
    const { adapter } = installedApp('0.1.0', baked.url)
    const { watch } = watchUpdates(adapter, { feedUrl: staging.url, autoDownload: false })

    await expect(watch.checkNow()).resolves.toEqual({ kind: 'available', version: '0.5.0' })
    expect(baked.requestedPaths).toEqual([])
    expect(staging.requestedPaths).toEqual([`/${FEED_FILE}`])
  })

  it('discards a download whose checksum does not match the feed, and tells no one', async () => {
    const feed = publishFeed({ version: '0.2.0', corruptChecksum: true })
    const server = await serve(feed.dir)
    const { adapter, cacheDir } = installedApp('0.1.0', server.url)
    const { watch, notices, logs, updater } = watchUpdates(adapter, { autoDownload: true })
    const failed = new Promise<Error>((resolve) => updater.once('error', resolve))

    await expect(watch.checkNow()).resolves.toEqual({ kind: 'available', version: '0.2.0' })
    const error = await failed
    expect(error.message).toMatch(/sha512 checksum mismatch/)
    expect(notices).toEqual([])
    expect(logs.some((line) => line.includes('The downloaded dmdesk update was damaged'))).toBe(true)
    expect(existsSync(join(cacheDir, 'pending', feed.installerName))).toBe(false)
  })

  it('reports an unreachable or empty feed in plain words instead of throwing', async () => {
    const empty = await serve(tempDir('dmdesk-empty-feed-'))
    const { adapter } = installedApp('0.1.0', empty.url)
    const { watch, notices } = watchUpdates(adapter, { autoDownload: true })
    await expect(watch.checkNow()).resolves.toEqual({ kind: 'failed', message: 'The update server has no dmdesk release for this system yet.' })

    // A host that accepts and drops every connection (a refused port would cost electron-updater's 3 s of retries).
    const dropping = createServer().on('connection', (socket) => socket.destroy())
    dropping.listen(0, '127.0.0.1')
    await once(dropping, 'listening')
    try {
      const goneUrl = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}/`
      const gone = watchUpdates(installedApp('0.1.0', goneUrl).adapter, { autoDownload: true })
      await expect(gone.watch.checkNow()).resolves.toEqual({ kind: 'failed', message: "dmdesk couldn't reach the update server. It will try again later." })
      expect(gone.notices).toEqual([])
    } finally {
      dropping.close()
    }
    expect(notices).toEqual([])
  })

  it('reads a feed that is not an update feed as such', async () => {
    const dir = tempDir('dmdesk-bad-feed-')
    writeFileSync(join(dir, FEED_FILE), 'files: [not, an, update]\n')
    const server = await serve(dir)
    const { watch } = watchUpdates(installedApp('0.1.0', server.url).adapter, { autoDownload: true })
    await expect(watch.checkNow()).resolves.toEqual({ kind: 'failed', message: "The update server answered with something that isn't a dmdesk update." })
  })

  it('after stop(), update events no longer reach the creator', async () => {
    const server = await serve(publishFeed({ version: '0.2.0' }).dir)
    const { watch, notices, updater } = watchUpdates(installedApp('0.1.0', server.url).adapter, { autoDownload: false })
    watch.stop()
    await updater.checkForUpdates()
    expect(notices).toEqual([])
  })
})

describe('explainUpdateFailure', () => {
  it('never passes the technical message through', () => {
    expect(explainUpdateFailure(new Error('EPIPE something odd at 0x1f'), 'dmdesk')).toBe("dmdesk couldn't check for updates. It will try again later.")
  })
})
