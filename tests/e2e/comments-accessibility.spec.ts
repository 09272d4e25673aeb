// Every screen and state of comments and private replies, checked with axe at every impact level (minor
// ones included), in light and dark theme; screenshots of each are kept under test-results/screenshots/.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'
import { openChat, openInbox, participantIdOf, screenshot, thread } from './inbox-page.ts'
import { commentEntry, commentRow, commentsList, commentThread, openComment, showComments } from './comments-page.ts'

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const violations = results.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  expect(violations, `axe violations in ${state}`).toEqual([])
  await screenshot(page, state)
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme })
    // Several full axe runs per test (seconds each on a busy machine): a budget, not a wait.
    test.describe.configure({ timeout: 240_000 })

    test('the Comments view: list, filters, a thread, an action waiting, a comment too old for a private reply, search hits', async ({ demoApp, page }) => {
      await openInbox(page, demoApp.url)
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await showComments(page)
      await expect(commentRow(page, 'sam.kiln')).toBeVisible()
      await expectNoViolations(page, `comments-${theme}`)

      await openComment(page, 'pia.makes.things')
      await expect(commentThread(page).getByRole('img', { name: 'Your post' })).toBeVisible()
      await expectNoViolations(page, `comments-thread-${theme}`)

      // An action waiting for the network, and a private reply Postproxy refuses.
      await demoApp.control('POST', '/_sim/faults', { kind: 'stall', count: 1 })
      await commentEntry(page, '@ollie.clay').getByRole('button', { name: 'Hide' }).click()
      await expect(commentEntry(page, '@ollie.clay')).toContainText('Hiding')
      await expectNoViolations(page, `comments-action-waiting-${theme}`)
      await demoApp.control('POST', '/_sim/faults/release')
      await expect(commentEntry(page, '@ollie.clay').getByRole('button', { name: 'Unhide' })).toBeVisible()
      await expect(commentEntry(page, '@ollie.clay')).not.toContainText('Hiding')

      await openComment(page, 'ana.ceramica')
      await expect(commentEntry(page, '@ana.ceramica')).toContainText('19 days old')
      await expectNoViolations(page, `comments-too-old-${theme}`)

      await page.getByRole('group', { name: 'Filter comments' }).getByRole('button', { name: 'Hidden' }).click()
      await expect(commentsList(page).getByRole('listitem')).toHaveCount(2)
      await expectNoViolations(page, `comments-hidden-filter-${theme}`)

      await page.getByRole('searchbox', { name: 'Search' }).fill('oatmeal')
      await expect(page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /Comment on/ })).toBeVisible()
      await expectNoViolations(page, `comments-search-${theme}`)
    })

    test('a closed chat with a recent comment, the new chat dialog, and the settings', async ({ demoApp, page }) => {
      await openInbox(page, demoApp.url)
      await demoApp.control('POST', '/_sim/comments', { participant_external_id: await participantIdOf(demoApp.control, 'yuki.tea'), text: 'Do you restock the tenmoku bowls?' })
      await openChat(page, 'yuki.tea')
      await expect(thread(page).getByRole('region', { name: 'Reach them through a comment' })).toBeVisible({ timeout: 25_000 })
      await expectNoViolations(page, `closed-chat-comments-${theme}`)

      await page.getByRole('button', { name: 'New chat' }).click()
      const dialog = page.getByRole('dialog', { name: 'New chat' })
      await dialog.getByRole('button', { name: 'Start chat' }).click()
      await expect(dialog.getByRole('alert')).toContainText('Enter their Instagram-scoped ID.')
      await expectNoViolations(page, `new-chat-${theme}`)
      await page.keyboard.press('Escape')

      await page.getByRole('button', { name: 'Settings' }).click()
      await expect(page.getByRole('dialog', { name: 'Settings' }).getByRole('checkbox', { name: 'Notify about new comments' })).toBeChecked()
      await expectNoViolations(page, `settings-comments-${theme}`)
    })
  })
}
