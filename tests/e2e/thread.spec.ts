// Reading and writing in the demo inbox: the list's order, opening a chat, sending text, love.
import { expect, test } from './fixtures.ts'
import { chatButton, chatList, messageRow, messages, openChat, openInbox, thread } from './inbox-page.ts'

test('chats are listed newest activity first, with unread counts and window chips', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const rows = chatList(page).getByRole('listitem')
  await expect(rows.nth(10)).toBeVisible()

  const times = await rows.locator('time').evaluateAll((nodes) => nodes.map((n) => Date.parse(n.getAttribute('datetime') ?? '')))
  expect(times.length).toBeGreaterThan(10)
  expect(times).toEqual([...times].sort((a, b) => b - a))

  // Priya (verified, 1.2M followers) wrote recently: her row says so.
  const priya = chatButton(page, 'priya.moves')
  await expect(priya).toContainText('1.2M followers')
  await expect(priya).toContainText('Verified')
  await expect(priya).toHaveAccessibleName(/messaging window open/)
})

test('opening a chat shows its messages, its window in words, and marks it read', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const priya = chatButton(page, 'priya.moves')
  await expect(priya).toContainText('unread')

  await openChat(page, 'priya.moves')

  await expect(thread(page).getByRole('heading', { name: 'Priya Raman' })).toBeVisible()
  await expect(thread(page).getByText(/Messaging window open · closes in/)).toBeVisible()
  await expect(messageRow(page, 'PS: Alex will reach out this week.')).toBeVisible()
  await expect(priya).not.toContainText('unread')
  await expect(priya).toHaveAttribute('aria-current', 'true')
})

test('sending text shows Sending… and then Sent', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  const text = `Yes, custom glazes are possible! (${Date.now()})`

  const box = page.getByRole('textbox', { name: 'Message' })
  // Postproxy holds the send until released, so "Sending…" is seen however fast the machine is.
  await demoApp.control('POST', '/_sim/faults', { kind: 'stall', count: 1 })
  await box.fill(text)
  await box.press('Enter')

  const row = messageRow(page, text)
  await expect(row).toBeVisible()
  await expect(box).toHaveValue('')
  await expect(row.getByText('Sending…')).toBeVisible()
  await demoApp.control('POST', '/_sim/faults/release')
  await expect(row.getByText('Sent', { exact: true })).toBeVisible()
  // The list follows: Maya's chat now shows the reply as its preview.
  await expect(chatButton(page, 'maya.bakes.bread')).toContainText(`You: ${text}`)
})

test('Shift+Enter starts a new line instead of sending', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill('first line')
  await box.press('Shift+Enter')
  await box.pressSequentially('second line')
  await expect(box).toHaveValue('first line\nsecond line')
  await expect(messageRow(page, 'first line')).toHaveCount(0)
})

test('love and un-love an inbound message, by pointer and by keyboard', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'priya.moves')
  const love = messageRow(page, 'PS: Alex will reach out this week.').getByRole('button', { name: 'Love' })
  await expect(love).toHaveAttribute('aria-pressed', 'false')

  await love.click()
  await expect(love).toHaveAttribute('aria-pressed', 'true')
  // The core kept it: still loved after a reload.
  await page.reload()
  await openChat(page, 'priya.moves')
  await expect(love).toHaveAttribute('aria-pressed', 'true')

  await love.focus()
  await page.keyboard.press('Space')
  await expect(love).toHaveAttribute('aria-pressed', 'false')
  await page.reload()
  await openChat(page, 'priya.moves')
  await expect(love).toHaveAttribute('aria-pressed', 'false')
})

test('a draft is kept per chat', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  await page.getByRole('textbox', { name: 'Message' }).fill('half-written answer')
  await openChat(page, 'priya.moves')
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('')
  await expect(chatButton(page, 'maya.bakes.bread')).toContainText('Draft')

  await openChat(page, 'maya.bakes.bread')
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('half-written answer')
})

test('a thread opens at its newest message and stays there while its images load', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'yuki.tea')
  const image = messages(page).getByRole('img', { name: 'Photo from you' })
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  await expect(messageRow(page, 'Thank you. I look forward to it.')).toBeInViewport({ ratio: 1 })
})

test('the thread only keeps the visible messages in the page', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'priya.moves')
  await expect(messages(page).locator('[data-message-row]').first()).toBeVisible()
  expect(await messages(page).locator('[data-message-row]').count()).toBeLessThan(200)
})

test('an image keeps its box while it loads, so the messages around it never move', async ({ demoApp, page }) => {
  // The real file, held back until the box has been measured without it.
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(/\/media\//, async (route) => {
    await held
    await route.continue()
  })
  await openInbox(page, demoApp.url)
  await openChat(page, 'yuki.tea')
  const image = messages(page).getByRole('img', { name: 'Photo from you' })
  await expect(image).toBeVisible()
  expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(false)
  const before = await image.evaluate((img) => img.getBoundingClientRect().toJSON())

  release()
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  expect(await image.evaluate((img) => img.getBoundingClientRect().toJSON())).toEqual(before)
})

test('a scroll event that reaches a thread after switching to another chat is ignored, not an error', async ({ demoApp, page }) => {
  // Chromium delivers a scroll queued before a switch to the old log in the next frame, after it was
  // removed (the day bench's thread switching raised "Cannot read properties of null (reading 'scrollTop')").
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await openInbox(page, demoApp.url)
  await openChat(page, 'priya.moves')
  const oldLog = await messages(page).elementHandle()
  await openChat(page, 'maya.bakes.bread')
  await expect(messages(page)).toHaveAccessibleName(/maya/i)
  expect(await oldLog!.evaluate((log) => log.isConnected)).toBe(false)

  await oldLog!.evaluate((log) => log.dispatchEvent(new Event('scroll')))
  // Still working, and nothing went wrong on the page meanwhile.
  await expect(messages(page)).toHaveAccessibleName(/maya/i)
  await expect(messages(page).locator('[data-message-row]').first()).toBeVisible()
  expect(errors).toEqual([])
})
