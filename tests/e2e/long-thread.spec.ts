// A 10,000-message thread: it opens at the newest message, older pages load while scrolling up,
// and the page never holds more than a screenful of message rows (the list is virtualized).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, startNodeProcess, test, type RunningProcess } from './fixtures.ts'
import { chatList, messages, openInbox } from './inbox-page.ts'

const MESSAGES = 10_000
const MAX_ROWS = 200

let simulator: RunningProcess
let app: RunningProcess
let dataDir: string

test.beforeAll(async () => {
  test.setTimeout(120_000)
  dataDir = mkdtempSync(join(tmpdir(), 'dmdesk-e2e-long-'))
  simulator = await startNodeProcess('simulator/cli.ts', ['--port', '0', '--chats', '1', '--messages-per-chat', String(MESSAGES), '--no-alive'])
  app = await startNodeProcess('electron/web/cli.ts', ['--port', '0', '--data-dir', dataDir, '--memory-secrets'], {
    POSTPROXY_BASE_URL: simulator.announcement.url,
    POSTPROXY_API_KEY: simulator.announcement.apiKey
  })
})

test.afterAll(async () => {
  await app?.stop()
  await simulator?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

test('scrolling up a 10k-message thread loads older pages and keeps the DOM small', async ({ page }) => {
  // 120 scroll steps with a few round trips each: a budget for a busy machine, not a wait.
  test.setTimeout(240_000)
  await openInbox(page, app.announcement.url)
  await chatList(page).getByRole('listitem').first().getByRole('button').click()
  const log = messages(page)
  const rows = log.locator('[data-message-row]')
  await expect(rows.first()).toBeVisible()
  // It opens at the newest message.
  await expect(rows.last()).toBeInViewport()

  /**
   * Scrolls the log as a wheel does, then notes the message being read (the first row starting
   * inside the log) and its exact distance from the log's top, at once and again in every frame
   * until `stopWatching`: whatever the app does next (render rows above, measure them, prepend an
   * older page) must leave it where the scroll put it, in every painted frame, to the sub-pixel.
   * Resolves two frames later, once the scroll event has been handled (and an older page asked for).
   */
  const scrollAndWatch = (by: number) =>
    log.evaluate(async (el, distance) => {
      const readingPosition = () => {
        const top = el.getBoundingClientRect().top
        const row = [...el.querySelectorAll('[data-message-row]')].find((r) => r.getBoundingClientRect().top >= top)
        return row ? { id: row.getAttribute('data-message-row'), y: row.getBoundingClientRect().top - top } : null
      }
      el.scrollBy(0, distance)
      const start = readingPosition()
      const moved: { id: string | null; y: number }[] = []
      let watching = true
      const check = () => {
        if (!watching) return
        const now = readingPosition()
        if (now && (now.id !== start?.id || now.y !== start.y)) moved.push(now)
        requestAnimationFrame(check)
      }
      requestAnimationFrame(check)
      const stop = () => {
        watching = false
        return { start, moved, end: readingPosition(), rows: [...el.querySelectorAll('[data-message-row]')].map((r) => r.getAttribute('data-message-row')!) }
      }
      Object.assign(window, { __stopWatching: stop })
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    }, by)
  /** Two more frames, then what the watch saw, and the rows in the DOM. */
  const stopWatching = () =>
    page.evaluate(async () => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      type Watched = { start: unknown; moved: unknown[]; end: unknown; rows: string[] }
      return (window as unknown as { __stopWatching: () => Watched }).__stopWatching()
    })

  const seen = new Set<string>()
  let maxRows = 0
  // Scrolling up as a wheel does, a few hundred pixels at a time.
  for (let step = 0; step < 120; step++) {
    await scrollAndWatch(-400)
    // Whatever arrives meanwhile (an older page, measured rows), what the creator reads stays put.
    await expect(page.getByText('Loading older messages…')).toHaveCount(0)
    const watched = await stopWatching()
    expect(watched.start).not.toBeNull()
    expect(watched.moved).toEqual([])
    expect(watched.end).toEqual(watched.start)
    for (const id of watched.rows) seen.add(id)
    maxRows = Math.max(maxRows, watched.rows.length)
  }

  expect(maxRows).toBeLessThan(MAX_ROWS)
  // Older pages arrived: far more messages were shown than one page (50) holds.
  expect(seen.size).toBeGreaterThan(150)
})
