// Meta's messaging window in the UI: outside it the composer says why it can't send and offers
// what is still possible.
import { expect, test } from './fixtures.ts'
import { openChat, openInbox, thread } from './inbox-page.ts'

test('a chat whose window closed long ago says why it cannot send', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'yuki.tea')

  await expect(thread(page).getByText(/^Messaging window closed \d+ days ago$/)).toBeVisible()
  await expect(thread(page).getByText(/You can't reply here: Instagram allows replies only within 24 hours/)).toBeVisible()
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled()
  await expect(page.getByRole('checkbox', { name: 'Human agent reply' })).toHaveCount(0)
})

test('within 7 days, a human-agent reply is offered and sent with its tag', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'grace.collects')

  await expect(thread(page).getByText(/^Messaging window closed .* ago · human-agent replies possible for/)).toBeVisible()
  const box = page.getByRole('textbox', { name: 'Message' })
  const text = `A person from the studio here (${Date.now()})`
  await box.fill(text)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  // Without the tag Instagram would refuse it: the composer says so and keeps the text.
  await expect(page.getByRole('alert')).toContainText('Tick “Human agent reply”')
  await expect(box).toHaveValue(text)

  await page.getByRole('checkbox', { name: 'Human agent reply' }).check()
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  const row = thread(page).locator('[data-message-row]').filter({ hasText: text })
  await expect(row).toBeVisible()
  await expect(row.getByText('Sent', { exact: true })).toBeVisible()
})

test('a participant who never wrote cannot be messaged yet, and the composer says so', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'clara.hoffmann')
  await expect(thread(page).getByText("Messaging window not open: they haven't written to you yet")).toBeVisible()
  await expect(thread(page).getByText(/Instagram lets you write only after they message you, or through a private reply to one of their comments\. None of their comments from the last 7 days can take one\./)).toBeVisible()
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled()
})
