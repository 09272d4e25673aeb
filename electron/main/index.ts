// Electron glue only: lifecycle, the secure window, IPC, notifications, badge, power and network
// events. The inbox core (electron/inbox/) does the work and runs without Electron.
import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, Menu, nativeImage, net, powerMonitor, protocol, session, Tray } from 'electron'
import { IPC_EVENT_CHANNEL } from '../../shared/inbox-calls.ts'
import type { InboxEventName, InboxEvents } from '../../shared/inbox-api.ts'
import { NotificationBatcher } from '../../shared/notification-policy.ts'
import { Inbox } from '../inbox/inbox.ts'
import { KeychainSecretStore } from '../inbox/secrets/index.ts'
import { limitHeapGrowth } from '../inbox/process-memory.ts'
import { FIRST_LOOK_GRACE_MS } from '../inbox/sync/first-look.ts'
import { APP_ID } from './app-identity.ts'
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, registerAppProtocol, RENDERER_URL } from './app-protocol.ts'
import { DesktopNotifications } from './desktop-notifications.ts'
import { registerInboxIpc } from './ipc.ts'
import { createMainWindow } from './main-window.ts'
import { windowStateIn } from './window-state.ts'
import { MEDIA_SCHEME, mediaUrl, registerMediaProtocol } from './media-protocol.ts'
import { startUpdater } from './updater.ts'
import { trayMenu, trayTooltip, type TrayState } from './tray-menu.ts'
import { appMenuTemplate } from './app-menu.ts'
import { TRAY_ICON_PNG_BASE64 } from './tray-icon.ts'

const IDLE_AFTER_SECONDS = 5 * 60

limitHeapGrowth()

// Must happen before `ready`, in one call: the app's own pages (app://) and its media, both like https.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES, { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }])
// Windows ties toasts to the AppUserModelId.
app.setAppUserModelId(APP_ID)

async function main(): Promise<void> {
  await app.whenReady()
  // Nothing but notifications may be granted to the page.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'))
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'notifications')

  const inbox = await Inbox.open({
    dataDir: app.getPath('userData'),
    secrets: new KeychainSecretStore(),
    // Loaded only when the demo starts (its own chunk): a creator with an API key does not load the simulator and relay.
    startDemoBackend: async (dir) => (await import('../demo/demo-backend.ts')).startDemoBackend(dir),
    mediaUrl,
    firstLookGraceMs: FIRST_LOOK_GRACE_MS
  })
  registerMediaProtocol(protocol, net, (id) => inbox.mediaFile(id))
  registerAppProtocol(protocol, join(import.meta.dirname, '../renderer'))

  // Only the app's own pages may call the core.
  registerInboxIpc(ipcMain, inbox, `${APP_ORIGIN}/`)

  let window: BrowserWindow | null = null
  const openWindow = () => {
    window = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      rendererUrl: RENDERER_URL,
      state: windowStateIn(inbox.cache.settings)
    })
    window.on('focus', () => inbox.setAppState({ focused: true, idle: false }))
    window.on('blur', () => inbox.setAppState({ focused: false }))
    window.on('closed', () => (window = null))
  }
  /** The window in front (opened again if it was closed), then asked to show something. */
  const showWindow = <K extends InboxEventName>(request?: { name: K; payload: InboxEvents[K] }) => {
    if (!window) openWindow()
    window!.show()
    window!.focus()
    if (request) inbox.notifyRenderer(request.name, request.payload)
  }
  const showChat = (chatId: string) => showWindow({ name: 'open-chat', payload: { chatId } })
  const showComment = (commentId: string) => showWindow({ name: 'open-comment', payload: { commentId } })
  const showNewChat = () => showWindow({ name: 'new-chat', payload: {} })

  const desktopNotifications = new DesktopNotifications({ inbox, openChat: showChat, openComment: showComment })
  const notifications = new NotificationBatcher({
    settings: () => ({
      enabled: inbox.settingsSnapshot.notifications,
      showPreviews: inbox.settingsSnapshot.notificationPreviews,
      comments: inbox.settingsSnapshot.commentNotifications
    }),
    chatInFront: () => (window?.isFocused() ? inbox.chatOnScreen : null),
    commentsInFront: () => Boolean(window?.isFocused()) && inbox.commentsOnScreen,
    show: (plan) => desktopNotifications.show(plan)
  })

  inbox.on((name, payload) => {
    window?.webContents.send(IPC_EVENT_CHANNEL, name, payload)
    if (name === 'inbound-message') {
      const notice = payload as InboxEvents['inbound-message']
      notifications.push({
        chatId: notice.chatId,
        messageId: notice.messageId,
        sender: notice.participant.username ? `@${notice.participant.username}` : notice.participant.name ?? 'New message',
        preview: notice.preview,
        profile: notice.profile
      })
    }
    if (name === 'new-comment') notifications.pushComment(payload as InboxEvents['new-comment'])
    if (name === 'status') {
      const status = payload as { unreadTotal: number; connection: string }
      app.setBadgeCount(status.unreadTotal)
      void refreshTray(status.unreadTotal, status.connection === 'online')
    }
  })

  // The tray: unread count in the tooltip, the unread chats one click away.
  const tray = new Tray(nativeImage.createFromBuffer(Buffer.from(TRAY_ICON_PNG_BASE64, 'base64')))
  tray.on('click', () => showWindow())
  async function refreshTray(unreadTotal: number, online: boolean) {
    const unread = await inbox.api.listChats({ filter: 'unread', limit: 5 })
    const state: TrayState = {
      unreadTotal,
      online,
      unreadChats: unread.ok
        ? unread.value.chats.map((c) => ({ chatId: c.id, label: c.participant.username ? `@${c.participant.username}` : c.participant.name ?? 'Chat', unread: c.unreadCount }))
        : []
    }
    tray.setToolTip(trayTooltip(state))
    tray.setContextMenu(Menu.buildFromTemplate(trayMenu(state).map((item) => ({
      label: item.label,
      click: () => {
        if (item.action === 'show') tray.emit('click')
        else if (item.action === 'open-chat') showChat(item.chatId!)
        else if (item.action === 'sync') void inbox.api.syncNow()
        else app.quit()
      }
    }))))
  }
  void refreshTray(0, true)

  // Power and network: sync at once on resume and when the network returns; slow down when idle.
  powerMonitor.on('resume', () => {
    inbox.setAppState({ online: net.isOnline(), idle: false })
    void inbox.api.syncNow()
  })
  const watchMachine = setInterval(() => {
    inbox.setAppState({ online: net.isOnline(), idle: powerMonitor.getSystemIdleTime() >= IDLE_AFTER_SECONDS })
  }, 5_000)
  watchMachine.unref()

  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, { newChat: showNewChat })))

  openWindow()
  // Off unless an update feed is configured (see docs/INSTALL.md).
  startUpdater()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })
  app.on('second-instance', () => showWindow())
  // Quitting waits for the inbox to close (the outbox stops, the databases close cleanly; see
  // Inbox.close, which bounds the wait), then quits for real.
  let inboxClosed = false
  let closingInbox = false
  app.on('before-quit', (event) => {
    if (inboxClosed) return
    event.preventDefault()
    if (closingInbox) return
    closingInbox = true
    clearInterval(watchMachine)
    desktopNotifications.dispose()
    void inbox.close({ quitting: true }).finally(() => {
      inboxClosed = true
      app.quit()
    })
  })
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  main().catch((error: unknown) => {
    console.error('dmdesk could not start:', error instanceof Error ? error.message : error)
    app.exit(1)
  })
}
