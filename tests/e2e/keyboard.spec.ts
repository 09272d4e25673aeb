// Keyboard-first: the chat switcher, moving between chats, Esc, and marking a chat unread.
import { expect, test } from './fixtures.ts'
import { chatButton, chatList, openChat, openInbox, thread } from './inbox-page.ts'

test('Ctrl+K finds a chat by name and opens it; Esc closes the switcher', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)

  await page.keyboard.press('Control+K')
  const switcher = page.getByRole('dialog', { name: 'Go to chat' })
  await expect(switcher).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(switcher).toHaveCount(0)

  // Esc closes it with text typed too (in a search field, Esc alone would only clear the text).
  await page.keyboard.press('Control+K')
  await switcher.getByRole('searchbox', { name: 'Find a chat' }).fill('nobody')
  await page.keyboard.press('Escape')
  await expect(switcher).toHaveCount(0)

  await page.keyboard.press('Control+K')
  await switcher.getByRole('searchbox', { name: 'Find a chat' }).fill('yuki')
  await expect(switcher.getByRole('option').first()).toContainText('Yuki Tanaka')
  await page.keyboard.press('Enter')

  await expect(switcher).toHaveCount(0)
  await expect(thread(page).getByRole('heading', { name: 'Yuki Tanaka' })).toBeVisible()
})

test('in the chat switcher, Down keeps the chosen chat in view all the way down the list', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await page.keyboard.press('Control+K')
  const switcher = page.getByRole('dialog', { name: 'Go to chat' })
  const options = switcher.getByRole('option')
  await expect(options.nth(15)).toBeAttached()
  for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowDown')
  await expect(options.nth(15)).toHaveAttribute('aria-selected', 'true')
  await expect(options.nth(15)).toBeInViewport({ ratio: 1 })
  await expect(switcher.getByRole('searchbox', { name: 'Find a chat' })).toHaveAttribute('aria-activedescendant', (await options.nth(15).getAttribute('id'))!)
})

test('Alt+Down and Alt+Up move to the next and previous chat', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const rows = chatList(page).getByRole('listitem').getByRole('button')
  const second = (await rows.nth(1).getAttribute('data-chat-id'))!
  await rows.first().click()

  await page.keyboard.press('Alt+ArrowDown')
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true')
  expect(await chatList(page).locator('[aria-current="true"]').getAttribute('data-chat-id')).toBe(second)

  await page.keyboard.press('Alt+ArrowUp')
  await expect(rows.first()).toHaveAttribute('aria-current', 'true')
})

test('the chat list is one Tab stop, and the arrow keys, Home and End move within it', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const rows = chatList(page).getByRole('listitem').getByRole('button')
  await page.getByRole('button', { name: 'Large following' }).focus()
  await page.keyboard.press('Tab')
  await expect(rows.first()).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(1)).toBeFocused()
  await page.keyboard.press('End')
  await expect(rows.last()).toBeFocused()
  await page.keyboard.press('Home')
  await expect(rows.first()).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true')

  // Tab leaves the list at once, and Shift+Tab comes back to the open chat's row.
  await rows.nth(1).focus()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Mark as unread' })).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(rows.nth(1)).toBeFocused()
})

test('Ctrl+Shift+U marks the open chat unread, and it stays unread while open', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'priya.moves')
  const priya = chatButton(page, 'priya.moves')
  await expect(priya).not.toContainText('unread')

  await page.getByRole('textbox', { name: 'Message' }).focus()
  await page.keyboard.press('Control+Shift+U')

  await expect(priya).toContainText('unread')
  await expect(page.getByRole('status').filter({ hasText: 'Marked as unread.' })).toBeVisible()
  // Reopening it later reads it again.
  await openChat(page, 'maya.bakes.bread')
  await openChat(page, 'priya.moves')
  await expect(priya).not.toContainText('unread')
})
