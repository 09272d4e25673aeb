// First run: the demo, and a pasted API key (refused in plain words when wrong, accepted when right).
import { expect, test } from './fixtures.ts'
import { chatButton, chatList } from './inbox-page.ts'

test('a signed-out creator can try the demo', async ({ liveApp, page }) => {
  await page.goto(liveApp.url)
  await expect(page.getByRole('heading', { name: 'Welcome to dmdesk' })).toBeVisible()

  await page.getByRole('button', { name: 'Try the demo' }).click()

  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
  await expect(chatButton(page, 'priya.moves')).toBeVisible()
  await expect(page.getByText('Demo', { exact: true })).toBeVisible()
})

test('a wrong API key is refused in plain words, the right one opens the inbox', async ({ liveApp, page }) => {
  await page.goto(liveApp.url)
  const key = page.getByRole('textbox', { name: 'API key' })

  await key.fill('sk_not_a_real_key')
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(page.getByRole('alert')).toContainText("Postproxy didn't accept this API key")
  await expect(chatList(page)).toHaveCount(0)

  await key.fill(liveApp.simulatorApiKey)
  await page.getByRole('button', { name: 'Connect' }).click()

  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
  await expect(page.getByRole('button', { name: 'Try the demo' })).toHaveCount(0)
  // The key is kept by the core: a reload stays signed in.
  await page.reload()
  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
})

test('signing out (and deleting the cache) returns to onboarding', async ({ demoApp, page }) => {
  await page.goto(demoApp.url)
  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()

  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await settings.getByRole('checkbox', { name: 'Also delete cached messages from this computer' }).check()
  await settings.getByRole('button', { name: 'Leave the demo' }).click()

  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible()
  await expect(settings).toHaveCount(0)
  await page.reload()
  await expect(page.getByRole('textbox', { name: 'API key' })).toBeVisible()
})
