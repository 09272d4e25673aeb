// Every screen and state a creator can reach, checked with axe at every impact level (minor ones
// included), in light and dark theme; screenshots of each are kept under test-results/screenshots/
// as artifacts.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'
import { announcedParts, chatButton, chatList, messageRow, openChat, openInbox, screenshot, thread } from './inbox-page.ts'

/** Runs axe on the page as it is now; `state` names the state in the failure and the screenshot. */
async function expectNoViolations(page: Page, state: string): Promise<void> {
  // Every rule runs in full; only violations are reported node by node (axe's own advice: building
  // selectors for every passing node is most of its time on a page this size).
  const results = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze()
  const violations = results.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  expect(violations, `axe violations in ${state}`).toEqual([])
  await screenshot(page, state)
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme })
    // A few states per test, each one a full axe run (several seconds on a busy machine): a budget,
    // not a wait.
    test.describe.configure({ timeout: 240_000 })

    test('onboarding, a refused key, and the inbox offline', async ({ liveApp, page }) => {
      await page.goto(liveApp.url)
      await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible()
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expectNoViolations(page, `onboarding-${theme}`)

      await page.getByRole('textbox', { name: 'API key' }).fill('not-a-real-key')
      await page.getByRole('button', { name: 'Connect' }).click()
      await expect(page.getByRole('alert')).toBeVisible()
      await expectNoViolations(page, `onboarding-refused-key-${theme}`)

      await page.getByRole('textbox', { name: 'API key' }).fill(liveApp.simulatorApiKey)
      await page.getByRole('button', { name: 'Connect' }).click()
      await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
      await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })
      await openChat(page, 'maya.bakes.bread')

      // The network goes: a send waits, and the status bar says the inbox is offline.
      await liveApp.stopBackend!()
      await page.getByRole('textbox', { name: 'Message' }).fill('Are you there?')
      await page.getByRole('button', { name: 'Send', exact: true }).click()
      await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Offline', { timeout: 30_000 })
      await expect(messageRow(page, 'Are you there?')).toBeVisible()
      await expectNoViolations(page, `offline-${theme}`)
    })

    test('the inbox, open chats and a filter', async ({ demoApp, page }) => {
      await openInbox(page, demoApp.url)
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expectNoViolations(page, `inbox-${theme}`)

      await openChat(page, 'priya.moves')
      await expectNoViolations(page, `thread-${theme}`)

      await openChat(page, 'grace.collects')
      await expectNoViolations(page, `thread-human-agent-${theme}`)

      await page.getByRole('button', { name: 'Unread', exact: true }).click()
      await expect(page.getByRole('button', { name: 'Unread', exact: true })).toHaveAttribute('aria-pressed', 'true')
      await expectNoViolations(page, `inbox-filtered-${theme}`)
    })

    test('search results, no results and the chat switcher', async ({ demoApp, page }) => {
      await openInbox(page, demoApp.url)
      await page.getByRole('searchbox', { name: 'Search' }).fill('glaze')
      await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first()).toBeVisible()
      await expectNoViolations(page, `search-results-${theme}`)
      await page.getByRole('searchbox', { name: 'Search' }).fill('zzzz no such words')
      await expect(page.getByRole('status').filter({ hasText: 'Nothing found' })).toBeVisible()
      await expectNoViolations(page, `search-nothing-found-${theme}`)
      await page.getByRole('searchbox', { name: 'Search' }).press('Escape')

      await page.keyboard.press('Control+K')
      const switcher = page.getByRole('dialog', { name: 'Go to chat' })
      await switcher.getByRole('searchbox', { name: 'Find a chat' }).fill('a')
      await expect(switcher.getByRole('option').first()).toBeVisible()
      await expectNoViolations(page, `chat-switcher-${theme}`)
    })

    test('a failed send, then dmdesk reconnecting', async ({ demoApp, page }) => {
      // Instagram refuses the next send for good: the message says so and offers Discard.
      await openInbox(page, demoApp.url)
      await openChat(page, 'maya.bakes.bread')
      await demoApp.control('POST', '/_sim/faults', { kind: 'send_permanent', count: 1, error_message: '(#100) Blocked' })
      await page.getByRole('textbox', { name: 'Message' }).fill('This one will not go through')
      await page.getByRole('button', { name: 'Send', exact: true }).click()
      const failed = messageRow(page, 'This one will not go through')
      await expect(failed.getByRole('group', { name: 'Send failed' }).getByRole('button', { name: 'Discard' })).toBeVisible({ timeout: 30_000 })
      await expectNoViolations(page, `failed-send-${theme}`)

      // dmdesk itself goes away: the page says it is reconnecting.
      await demoApp.stop()
      await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Reconnecting…')
      await expectNoViolations(page, `reconnecting-${theme}`)
    })

    test('settings and relay pairing', async ({ demoApp, page }) => {
      await openInbox(page, demoApp.url)
      await page.getByRole('button', { name: 'Settings' }).click()
      const settings = page.getByRole('dialog', { name: 'Settings' })
      await expect(settings).toBeVisible()
      await expectNoViolations(page, `settings-${theme}`)

      // The demo's relay is paired: unpairing brings back the pairing form.
      await settings.getByRole('button', { name: 'Unpair relay' }).click()
      await settings.getByRole('button', { name: 'Pair a relay…' }).click()
      await expect(settings.getByRole('textbox', { name: 'Relay address' })).toBeVisible()
      await expectNoViolations(page, `relay-pairing-${theme}`)

      // Nothing listens on port 9 of loopback: the pairing fails, in words.
      await settings.getByRole('textbox', { name: 'Relay address' }).fill('http://127.0.0.1:9')
      await settings.getByRole('textbox', { name: 'Admin token' }).fill('wrong-token')
      await settings.getByRole('button', { name: 'Pair', exact: true }).click()
      await expect(settings.getByRole('alert')).toBeVisible({ timeout: 30_000 })
      await expectNoViolations(page, `relay-pairing-failed-${theme}`)
    })
  })
}

test('the theme chosen in settings wins over the system', async ({ demoApp, page }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await openInbox(page, demoApp.url)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('radio', { name: 'Dark' }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
})

test('chat rows, search hits, the thread header and messages announce each of their parts, separated', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const priya = chatButton(page, 'priya.moves')
  await expect(priya).toHaveAccessibleName(
    announcedParts(
      'Priya Raman',
      'Verified',
      '@priya.moves',
      '1.2M followers',
      'Follows you',
      'You follow them',
      /last message \d+ hours? ago: PS: Alex will reach out this week\./,
      /messaging window (open|closes in \d+ \w+)/,
      /\d+ unread/
    )
  )

  await openChat(page, 'priya.moves')
  await expect(priya).toHaveAccessibleName(announcedParts('Priya Raman', 'Verified', '@priya.moves', '1.2M followers', 'Follows you', 'You follow them', /last message .*/, /messaging window .*/))
  await expect(thread(page).getByRole('heading', { level: 1 })).toHaveAccessibleName(announcedParts('Priya Raman', 'Verified'))
  expect(await thread(page).locator('header').ariaSnapshot()).toMatch(/@priya\.moves\s*,\s*1\.2M followers\s*,\s*Follows you/)
  // Each message says who wrote it (the eye reads that from the bubble's side and colour).
  expect(await messageRow(page, 'PS: Alex will reach out this week.').ariaSnapshot()).toMatch(/@priya\.moves:\s*PS: Alex will reach out this week\./)
  expect(await messageRow(page, 'I would love to talk about a collab').ariaSnapshot()).toMatch(/You:\s*I would love to talk about a collab/)

  await page.getByRole('searchbox', { name: 'Search' }).fill('Alex will reach out')
  const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button').first()
  await expect(hit).toHaveAccessibleName(announcedParts('Priya Raman', '@priya.moves', /\d+ hours? ago/, /PS: Alex will reach out this week\./))
})

test('Tab reaches every control of the inbox, and each one has a name a screen reader announces', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'priya.moves')
  // From the first control of the page (the sidebar's New chat) to where focus leaves the page.
  await page.getByRole('button', { name: 'New chat' }).focus()
  const focused = page.locator(':focus')
  const stops: string[] = []
  // Bounded: the inbox has far fewer stops. It ends when focus leaves the page or comes around.
  for (let stop = 0; stop < 200; stop++) {
    await expect(focused).toHaveAccessibleName(/\S/)
    // The first line of its snapshot: its role and name, as a screen reader announces them.
    stops.push((await focused.ariaSnapshot()).split('\n')[0])
    await page.keyboard.press('Tab')
    if ((await focused.count()) === 0) break
    const seenBefore = await focused.evaluate((el) => {
      const visited = ((window as unknown as { __tabVisited?: WeakSet<Element> }).__tabVisited ??= new WeakSet())
      if (visited.has(el)) return true
      visited.add(el)
      return false
    })
    if (seenBefore) break
  }
  const reached = (expected: string | RegExp) => stops.some((announced) => (typeof expected === 'string' ? announced === expected : expected.test(announced)))
  for (const expected of [
    '- button "New chat"',
    '- button "Saved replies"',
    '- button "Keyboard shortcuts"',
    '- button "Settings"',
    '- searchbox "Search"',
    '- button "All" [pressed]',
    /button "Priya Raman\s*, Verified/,
    '- button "Mark as unread"',
    /^- log "Messages with @priya\.moves"/,
    /^- button "Love “/,
    '- button "Attach"',
    /^- textbox "Message"/,
    '- button "Send"'
  ]) {
    expect(reached(expected), `Tab reaches ${expected}; it reached:\n${stops.join('\n')}`).toBe(true)
  }
  // The chat list is one stop (the open chat's row); the arrow keys move within it.
  expect(stops.filter((announced) => announced.includes('last message')), stops.join('\n')).toHaveLength(1)
})
