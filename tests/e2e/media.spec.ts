// Attachments: drag-and-drop onto the thread, the text-or-media rule, type checks before sending,
// and drops outside the drop area that must not navigate away.
import { expect, test } from './fixtures.ts'
import { dropFile, messageRow, messages, openChat, openInbox, pngBytes, thread } from './inbox-page.ts'

test('an image dropped onto the thread is previewed and sent', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  const sentImages = messages(page).getByRole('img', { name: /^Photo from you/ })
  const before = await sentImages.count()

  await dropFile(thread(page), { name: 'glaze-sample.png', type: 'image/png', bytes: pngBytes() })

  await expect(page.getByRole('img', { name: 'Preview of glaze-sample.png' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Remove attachment' })).toBeVisible()
  await page.getByRole('button', { name: 'Send', exact: true }).click()

  await expect(page.getByRole('button', { name: 'Remove attachment' })).toHaveCount(0)
  await expect(sentImages).toHaveCount(before + 1)
  // `has` is matched inside each row, so it takes a locator relative to the row, not to the log.
  const row = messages(page).locator('[data-message-row]').filter({ has: page.getByRole('img', { name: /^Photo from you/ }) }).last()
  await expect(row.getByText('Sent', { exact: true })).toBeVisible()
})

test('text and an attachment together are refused with a hint, and nothing is sent', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  const rowsBefore = await messages(page).locator('[data-message-row]').count()

  await dropFile(thread(page), { name: 'mug.png', type: 'image/png', bytes: pngBytes() })
  await page.getByRole('textbox', { name: 'Message' }).fill('Here is the mug')
  await page.getByRole('button', { name: 'Send', exact: true }).click()

  await expect(page.getByText('Instagram sends text or one attachment, not both. Remove the attachment or clear the text.')).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Here is the mug')
  await expect(page.getByRole('button', { name: 'Remove attachment' })).toBeVisible()
  await expect(messageRow(page, 'Here is the mug')).toHaveCount(0)
  expect(await messages(page).locator('[data-message-row]').count()).toBe(rowsBefore)

  // Removing the attachment resolves it: the text goes out alone.
  await page.getByRole('button', { name: 'Remove attachment' }).click()
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(messageRow(page, 'Here is the mug')).toBeVisible()
})

test('a file Instagram does not accept is refused before anything is sent, whatever its name', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')

  const text = [...Buffer.from('just some notes, not a picture\n'.repeat(4))]
  await dropFile(thread(page), { name: 'notes.png', type: 'image/png', bytes: text })

  await expect(page.getByRole('alert')).toContainText("isn't really a PNG file")
  await expect(page.getByRole('button', { name: 'Remove attachment' })).toHaveCount(0)
})

test('a file dropped outside the thread does not navigate away', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const url = page.url()
  await dropFile(page.getByRole('list', { name: 'Chats' }), { name: 'mug.png', type: 'image/png', bytes: pngBytes() })
  await expect(page.getByRole('list', { name: 'Chats' })).toBeVisible()
  expect(page.url()).toBe(url)
  const prevented = await page.evaluate(() => {
    const event = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() })
    document.body.dispatchEvent(event)
    return event.defaultPrevented
  })
  expect(prevented).toBe(true)
})
