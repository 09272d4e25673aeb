// Web mode's bridge: when dmdesk itself goes away the page says so, and an action fails in plain
// words instead of hanging.
import { expect, test } from './fixtures.ts'
import { openChat, openInbox } from './inbox-page.ts'

test('when dmdesk stops, the page shows Reconnecting… and a send fails with a clear message', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')

  await demoApp.stop()

  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Reconnecting…')
  await page.getByRole('textbox', { name: 'Message' }).fill('Is this going anywhere?')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText("dmdesk isn't reachable right now", { timeout: 20_000 })
  // Nothing was lost: the text is still there to send later.
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Is this going anywhere?')
})

test('at start the page asks for its first chats beside the session, not after its answer', async ({ demoApp, page }) => {
  // What crossed the bridge, in order: the call frames the page sent, and "answer" for each result it got.
  const wire: string[] = []
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => wire.push(`call ${JSON.parse(String(payload)).name}`))
    socket.on('framereceived', ({ payload }) => {
      if (JSON.parse(String(payload)).type === 'result') wire.push('answer')
    })
  })
  await openInbox(page, demoApp.url)
  const beforeFirstAnswer = wire.slice(0, wire.indexOf('answer'))
  expect(beforeFirstAnswer).toEqual(expect.arrayContaining(['call listChats', 'call getSession']))
})

test("the chat list's first frame holds the rows a tall window shows, and the keyboard reaches every row at once", async ({ demoApp, page }) => {
  // In the page, the moment the first rows land: how many there are, then End pressed on the first row
  // right away, before the rest of the page is painted: which row it reached, and the list's rows then.
  await page.addInitScript(() => {
    const seen = { firstRows: 0, rowsAfterEnd: 0, endReached: '', lastRow: '' }
    Object.assign(window, { __firstList: seen })
    const observer = new MutationObserver(() => {
      const list = document.querySelector('[aria-label="Chats"]')
      const rows = () => [...(list?.querySelectorAll<HTMLButtonElement>('button.row') ?? [])]
      if (rows().length === 0) return
      observer.disconnect()
      seen.firstRows = rows().length
      rows()[0].focus()
      rows()[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }))
      seen.endReached = (document.activeElement as HTMLElement | null)?.dataset.chatId ?? ''
      seen.rowsAfterEnd = rows().length
      seen.lastRow = rows().at(-1)?.dataset.chatId ?? ''
    })
    observer.observe(document, { childList: true, subtree: true })
  })
  await openInbox(page, demoApp.url)
  const seen = await page.evaluate(() => (window as unknown as { __firstList: Record<string, unknown> }).__firstList)
  // The demo's 40 chats arrive in one page: 20 painted first, all 40 there as soon as a key is pressed.
  expect(seen).toEqual({ firstRows: 20, rowsAfterEnd: 40, endReached: seen.lastRow, lastRow: expect.stringMatching(/./) })
})

test("once its first rows are painted, the page tells dmdesk so, once (a new account's history waits for it)", async ({ demoApp, page }) => {
  // In the page: each listShown call frame as it is sent, with the rows on screen then and whether a frame
  // had been painted since the first rows landed.
  await page.addInitScript(() => {
    const seen = { rowsPaintedAt: null as number | null, listShown: [] as { rows: number; painted: boolean }[] }
    Object.assign(window, { __listShown: seen })
    const rows = () => document.querySelectorAll('[aria-label="Chats"] button.row').length
    const observer = new MutationObserver(() => {
      if (rows() === 0) return
      observer.disconnect()
      // Runs before that frame's paint: anything sent after it comes once the rows were drawn.
      requestAnimationFrame(() => (seen.rowsPaintedAt = performance.now()))
    })
    observer.observe(document, { childList: true, subtree: true })
    const send = WebSocket.prototype.send
    WebSocket.prototype.send = function (data) {
      if (typeof data === 'string' && JSON.parse(data).name === 'listShown') seen.listShown.push({ rows: rows(), painted: seen.rowsPaintedAt !== null })
      return send.call(this, data)
    }
  })
  await openInbox(page, demoApp.url)
  await expect.poll(() => page.evaluate(() => (window as unknown as { __listShown: { listShown: unknown[] } }).__listShown.listShown.length)).toBe(1)
  // Another list and back: still that one call.
  const lists = page.getByRole('group', { name: 'Lists' })
  await lists.getByRole('button', { name: 'Done' }).click()
  await lists.getByRole('button', { name: 'Inbox' }).click()
  await expect(page.getByRole('list', { name: 'Chats' }).getByRole('button').first()).toBeVisible()
  const seen = await page.evaluate(() => (window as unknown as { __listShown: { listShown: { rows: number; painted: boolean }[] } }).__listShown)
  expect(seen.listShown).toEqual([{ rows: expect.any(Number), painted: true }])
  expect(seen.listShown[0].rows).toBeGreaterThan(0)
})
