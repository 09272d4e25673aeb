// No serious or critical axe violations on the main screens, in light and dark theme; screenshots
// of each are kept under test-results/screenshots/ as artifacts.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'
import { openChat, openInbox, screenshot } from './inbox-page.ts'

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  expect(serious).toEqual([])
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme })

    test('onboarding', async ({ liveApp, page }) => {
      await page.goto(liveApp.url)
      await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible()
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expectNoSeriousViolations(page)
      await screenshot(page, `onboarding-${theme}`)
    })

    test('inbox, thread and settings', async ({ demoApp, page }) => {
      await openInbox(page, demoApp.url)
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expectNoSeriousViolations(page)
      await screenshot(page, `inbox-${theme}`)

      await openChat(page, 'priya.moves')
      await expectNoSeriousViolations(page)
      await screenshot(page, `thread-${theme}`)

      await openChat(page, 'grace.collects')
      await expectNoSeriousViolations(page)
      await screenshot(page, `thread-human-agent-${theme}`)

      await page.getByRole('button', { name: 'Settings' }).click()
      await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible()
      await expectNoSeriousViolations(page)
      await screenshot(page, `settings-${theme}`)
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
