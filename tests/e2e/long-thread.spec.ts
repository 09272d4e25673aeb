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
  test.setTimeout(120_000)
  await openInbox(page, app.announcement.url)
  await chatList(page).getByRole('listitem').first().getByRole('button').click()
  const log = messages(page)
  const rows = log.locator('[data-message-row]')
  await expect(rows.first()).toBeVisible()
  // It opens at the newest message.
  await expect(rows.last()).toBeInViewport()

  /** The first row fully below the top of the log, and where it sits on screen. */
  const readingPosition = () =>
    log.evaluate((el) => {
      const top = el.getBoundingClientRect().top
      const row = [...el.querySelectorAll('[data-message-row]')].find((r) => r.getBoundingClientRect().top >= top)!
      return { id: row.getAttribute('data-message-row'), y: Math.round(row.getBoundingClientRect().top) }
    })

  const nextFrame = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  const seen = new Set<string>()
  let maxRows = 0
  // Scrolling as a wheel does, a few hundred pixels at a time.
  for (let step = 0; step < 120; step++) {
    await log.evaluate((el) => el.scrollBy(0, -400))
    await nextFrame()
    const before = await readingPosition()
    // Whatever arrives meanwhile (an older page, measured rows), what the creator reads stays put.
    await expect(page.getByText('Loading older messages…')).toHaveCount(0)
    await nextFrame()
    expect(await readingPosition()).toEqual(before)
    for (const id of await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-message-row')!))) seen.add(id)
    maxRows = Math.max(maxRows, await rows.count())
  }

  expect(maxRows).toBeLessThan(MAX_ROWS)
  // Older pages arrived: far more messages were shown than one page (50) holds.
  expect(seen.size).toBeGreaterThan(150)
})
