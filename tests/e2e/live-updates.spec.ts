// Changes on the backend reach the open app without a reload, and new messages notify (web mode
// uses the Web Notifications API): not for the chat in front, one summary for a burst, no preview
// when the creator hides previews.
import { expect, test } from './fixtures.ts'
import { captureNotifications, chatButton, chatList, clickNotification, LIVE_UPDATE_TIMEOUT, messageRow, openChat, openInbox, participantIdOf, thread } from './inbox-page.ts'

test('an inbound message appears in the open thread without a reload, and does not notify', async ({ demoApp, page }) => {
  const notifications = await captureNotifications(page, new URL(demoApp.url).origin)
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  const text = `Do the mugs come gift-wrapped? (${Date.now()})`

  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: await participantIdOf(demoApp.control, 'maya.bakes.bread'), body: text })

  await expect(messageRow(page, text)).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await expect(chatButton(page, 'maya.bakes.bread')).toContainText(text)
  expect((await notifications()).filter((n) => n.body === text)).toEqual([])
})

test('a message in another chat raises a notification that opens it', async ({ demoApp, page }) => {
  const notifications = await captureNotifications(page, new URL(demoApp.url).origin)
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  const text = `Hi! Are you taking commissions? (${Date.now()})`

  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: 'igsid_e2e_new_fan', participant_username: 'new.fan', participant_name: 'New Fan', body: text })

  // Newest activity first: the new chat is on top, unread.
  const top = chatList(page).getByRole('listitem').first().getByRole('button')
  await expect(top).toContainText('new.fan', { timeout: LIVE_UPDATE_TIMEOUT })
  await expect(top).toContainText('1 unread')
  await expect.poll(notifications).toEqual([{ title: 'new.fan', body: text, tag: expect.any(String) }])

  await clickNotification(page, 0)
  await expect(thread(page).getByRole('heading', { name: 'New Fan' })).toBeVisible()
  await expect(messageRow(page, text)).toBeVisible()
})

test('with previews hidden, the notification only says "New message"', async ({ demoApp, page }) => {
  const notifications = await captureNotifications(page, new URL(demoApp.url).origin)
  await openInbox(page, demoApp.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await dialog.getByRole('checkbox', { name: 'Show message previews' }).uncheck()
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)

  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: 'igsid_e2e_private', participant_username: 'private.person', body: 'my address is 1 Secret Lane' })

  await expect.poll(notifications, { timeout: LIVE_UPDATE_TIMEOUT }).toEqual([{ title: 'private.person', body: 'New message', tag: expect.any(String) }])
})

test('a burst of messages gives one summary notification, not one each', async ({ demoApp, page }) => {
  const notifications = await captureNotifications(page, new URL(demoApp.url).origin)
  await openInbox(page, demoApp.url)

  // Six people write at once (each message still reaches dmdesk on its own, as webhooks do).
  await Promise.all(
    [1, 2, 3, 4, 5, 6].map((i) =>
      demoApp.control('POST', '/_sim/inbound', { participant_external_id: `igsid_e2e_burst_${i}`, participant_username: `burst.fan${i}`, body: `Message ${i}` })
    )
  )

  await expect(chatButton(page, 'burst.fan6')).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await expect.poll(notifications).toEqual([{ title: '6 new messages', body: expect.stringMatching(/^From burst\.fan/), tag: 'dmdesk-summary' }])
})
