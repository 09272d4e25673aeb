// Keyboard-first: the shortcut sheet (?) lists every shortcut from the table the handlers use, and each
// single-key shortcut does what the sheet says, only while focus is not in a text field. Love buttons say
// which message they are for.
import type { Page } from '@playwright/test'
import { expectAxeClean } from './axe.ts'
import { expect, test } from './fixtures.ts'
import { chatButton, chatList, messageRow, messages, openChat, openInbox, thread } from './inbox-page.ts'

test.describe.configure({ timeout: 180_000 })

function toast(page: Page) {
  return page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo' }) })
}

test('? opens the sheet of every shortcut; Esc closes it and focus goes back', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const row = chatButton(page, 'priya.moves')
  await row.focus()
  await page.keyboard.press('?')
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(sheet).toBeVisible()
  const entries: [string, string][] = [
    ['Mark done (one already done goes back to the inbox)', 'E'],
    ['Snooze until…', 'H'],
    ['Pin or unpin', 'P'],
    ['Labels…', 'Shift+L'],
    ['Love the focused message, or their last one', 'L'],
    ['Reply to the focused message, or their last one (quotes it in the message box)', 'R'],
    ['Go to the message the focused one quotes', 'Q'],
    ['Quick replies and buttons for the message (in the message box)', 'Alt+Q'],
    ['Select or unselect the chat', 'X'],
    ['Undo the last action', 'Z'],
    ['Next unread chat', 'Alt+Shift+↓'],
    ['Insert a saved reply (in an empty message box, or after a space) (in the message box)', '/'],
    ['Show these keyboard shortcuts', '?']
  ]
  for (const [description, keys] of entries) {
    const exactly = new RegExp(`^${description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    const entry = sheet.locator('.entry').filter({ has: page.locator('dd', { hasText: exactly }) })
    await expect(entry.locator('kbd')).toHaveText(keys.split('+'))
  }
  await expectAxeClean(page, 'dialog[open]')
  await page.keyboard.press('Escape')
  await expect(sheet).toHaveCount(0)
  await expect(row).toBeFocused()
})

test('R quotes their last message, L loves it, Alt+Shift+Down finds the next unread chat', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'maya.bakes.bread')
  await chatButton(page, 'maya.bakes.bread').focus()

  await page.keyboard.press('l')
  const love = messageRow(page, 'Also will there be customs fees on my side?').getByRole('button', { name: 'Love “Also will there be…”' })
  await expect(love).toHaveAttribute('aria-pressed', 'true')
  // Every love button names its message.
  for (const name of await messages(page).getByRole('button', { name: /^Love / }).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')))) {
    expect(name).toMatch(/^Love (“.+”|the .+ from .+)$/)
  }

  await page.keyboard.press('r')
  const composer = page.getByRole('textbox', { name: 'Message' })
  await expect(page.getByRole('group', { name: 'Replying to a message' })).toContainText('Also will there be…')
  await expect(composer).toBeFocused()
  // Typing: single keys are text there, not shortcuts.
  await page.keyboard.type('ephxzlq')
  await expect(composer).toHaveValue('ephxzlq')
  await expect(chatButton(page, 'maya.bakes.bread')).toBeVisible()
  await composer.fill('')
  // Esc takes the quote back first, and leaves the chat open.
  await composer.press('Escape')
  await expect(page.getByRole('group', { name: 'Replying to a message' })).toHaveCount(0)
  await expect(thread(page)).toHaveAccessibleName('Conversation with @maya.bakes.bread')

  // From Dan (read), the next unread chat down the list is Marco (The Slow Café in between is read).
  await openChat(page, 'dan.moreau')
  await page.keyboard.press('Alt+Shift+ArrowDown')
  await expect(thread(page)).toHaveAccessibleName('Conversation with @marco.visuals')
  await page.keyboard.press('Alt+Shift+ArrowUp')
  await expect(thread(page)).toHaveAccessibleName('Conversation with @bea.in.bloom')
})

test('E, P, X, Z, H, Shift+L and 1/2/3 act on the focused chat and switch lists', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const rows = chatList(page).getByRole('listitem').getByRole('button')

  await chatButton(page, 'tom.becker.cooks').focus()
  await page.keyboard.press('e')
  await expect(toast(page)).toContainText('Marked done: @tom.becker.cooks')
  await expect(chatButton(page, 'tom.becker.cooks')).toHaveCount(0)
  // Focus moved to the row that took its place, so the next key works on at once.
  await expect(chatButton(page, 'k.nguyen')).toBeFocused()
  await page.keyboard.press('z')
  await expect(chatButton(page, 'tom.becker.cooks')).toBeVisible()

  await page.keyboard.press('p')
  await expect(rows.first()).toContainText('Pinned:')
  await expect(rows.first()).toContainText('@k.nguyen')

  await page.keyboard.press('x')
  await expect(page.getByRole('group', { name: 'Selected chats' }).getByRole('status')).toHaveText('1 selected')
  await page.keyboard.press('x')
  await expect(page.getByRole('group', { name: 'Selected chats' })).toHaveCount(0)

  await page.keyboard.press('h')
  await expect(page.getByRole('dialog', { name: 'Snooze until' })).toBeVisible()
  await page.keyboard.press('Escape')
  await page.keyboard.press('Shift+L')
  await expect(page.getByRole('dialog', { name: 'Labels' })).toBeVisible()
  await page.keyboard.press('Escape')

  await chatButton(page, 'priya.moves').focus()
  await page.keyboard.press('e')
  await expect(chatButton(page, 'priya.moves')).toHaveCount(0)
  await page.keyboard.press('3')
  await expect(page.getByRole('group', { name: 'Lists' }).getByRole('button', { name: 'Done' })).toHaveAttribute('aria-pressed', 'true')
  await expect(chatButton(page, 'priya.moves')).toBeVisible()
  await page.keyboard.press('2')
  await expect(page.getByRole('group', { name: 'Lists' }).getByRole('button', { name: 'Snoozed' })).toHaveAttribute('aria-pressed', 'true')
  await expect(chatList(page).getByRole('listitem')).toHaveCount(0)
  await page.keyboard.press('1')
  await expect(page.getByRole('group', { name: 'Lists' }).getByRole('button', { name: 'Inbox' })).toHaveAttribute('aria-pressed', 'true')
  await expect(rows.first()).toContainText('@k.nguyen')
})
