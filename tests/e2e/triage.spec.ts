// Working the inbox down, as a creator would, by role and name: done and the views, snooze presets and a
// custom time, chats coming back and saying why, pins, labels with the filters, undo, and bulk actions by
// pointer and keyboard. Every new screen and dialog is axe-clean at every impact level.
import type { Page } from '@playwright/test'
import { expectAxeClean } from './axe.ts'
import { expect, test } from './fixtures.ts'
import { chatButton, chatList, LIVE_UPDATE_TIMEOUT, openChat, openInbox, participantIdOf, thread } from './inbox-page.ts'

const DAY = 24 * 3_600_000

// Each test walks a whole flow on a shared, busy machine: more time than the default minute.
test.describe.configure({ timeout: 180_000 })

function view(page: Page, name: 'Inbox' | 'Snoozed' | 'Done') {
  return page.getByRole('group', { name: 'Lists' }).getByRole('button', { name, exact: true })
}

function toast(page: Page) {
  return page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo' }) })
}

async function rowNames(page: Page): Promise<string[]> {
  return chatList(page).getByRole('listitem').getByRole('button').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-chat-id') ?? ''))
}

test('Done: the chat leaves the inbox for the Done list, and Undo brings it back exactly', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const before = await rowNames(page)
  await openChat(page, 'tom.becker.cooks')
  const markDone = page.getByRole('group', { name: 'Chat actions' }).getByRole('button', { name: 'Mark done' })
  await markDone.click()
  await expect(toast(page)).toContainText('Marked done: @tom.becker.cooks')
  await expect(chatButton(page, 'tom.becker.cooks')).toHaveCount(0)
  // The toast stays while the pointer is on it: time for axe, then Undo.
  await toast(page).hover()
  await expectAxeClean(page, '.toast')
  await toast(page).getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Undone.' })).toBeVisible()
  await expect.poll(() => rowNames(page)).toEqual(before)

  // The next chat had opened in Tom's place; back to Tom, and done again.
  await openChat(page, 'tom.becker.cooks')
  await markDone.click()
  await expect(chatButton(page, 'tom.becker.cooks')).toHaveCount(0)
  // The next chat opened in its place.
  await expect(thread(page)).toBeVisible()
  await expect(thread(page)).not.toHaveAccessibleName('Conversation with @tom.becker.cooks')

  await view(page, 'Done').click()
  await expect(view(page, 'Done')).toHaveAttribute('aria-pressed', 'true')
  await expect(chatList(page).getByRole('listitem')).toHaveCount(1)
  await expect(chatButton(page, 'tom.becker.cooks')).toBeVisible()
  await expectAxeClean(page, 'nav')

  // From Done, E takes it back to the inbox.
  await chatButton(page, 'tom.becker.cooks').focus()
  await page.keyboard.press('e')
  await expect(toast(page)).toContainText('Back in the inbox: @tom.becker.cooks')
  await expect(chatList(page).getByRole('listitem')).toHaveCount(0)
  await expect(chatList(page).locator('..')).toContainText('Nothing marked done yet.')
  await view(page, 'Inbox').click()
  await expect(chatButton(page, 'tom.becker.cooks')).toBeVisible()
})

test('Snooze presets and a custom time; a snooze that ended while the app was closed comes back saying so', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'k.nguyen')
  await page.getByRole('group', { name: 'Chat actions' }).getByRole('button', { name: 'Snooze' }).click()
  const dialog = page.getByRole('dialog', { name: 'Snooze until' })
  await expect(dialog.getByRole('button', { name: /^Tomorrow morning/ })).toBeVisible()
  await expect(dialog.getByRole('button', { name: /^Next week/ })).toBeVisible()
  await expectAxeClean(page, 'dialog[open]')
  await dialog.getByRole('button', { name: /^Tomorrow morning/ }).click()
  await expect(dialog).toHaveCount(0)
  await expect(toast(page)).toContainText(/Snoozed until tomorrow .*: @k\.nguyen/)
  await expect(chatButton(page, 'k.nguyen')).toHaveCount(0)

  // A custom time, for a chat chosen in the list, from the keyboard.
  await chatButton(page, 'maya.bakes.bread').focus()
  await page.keyboard.press('h')
  await expect(dialog).toBeVisible()
  const inThreeDays = new Date(Date.now() + 3 * DAY)
  const local = new Date(inThreeDays.getTime() - inThreeDays.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
  const custom = dialog.getByLabel('Pick a date and time')
  await custom.fill(new Date(Date.now() - DAY - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16))
  await dialog.getByRole('button', { name: 'Snooze', exact: true }).click()
  await expect(dialog.getByRole('alert')).toHaveText('That time has already passed. Choose a time in the future.')
  await custom.fill(local)
  await dialog.getByRole('button', { name: 'Snooze', exact: true }).click()
  await expect(chatButton(page, 'maya.bakes.bread')).toHaveCount(0)

  await view(page, 'Snoozed').click()
  await expect(chatButton(page, 'k.nguyen')).toContainText(/Until tomorrow/)
  await expect(chatList(page).getByRole('listitem')).toHaveCount(2)
  await expectAxeClean(page, 'nav')

  // Eight days later: both snoozes ended while the app was closed; the start-up check brings them back.
  await demoApp.restart({ env: { DMDESK_CLOCK_OFFSET_MS: String(8 * DAY) } })
  await openInbox(page, demoApp.url)
  await expect(chatButton(page, 'k.nguyen')).toContainText('Snooze ended')
  await expect(chatButton(page, 'maya.bakes.bread')).toContainText('Snooze ended')
  await view(page, 'Snoozed').click()
  await expect(chatList(page).getByRole('listitem')).toHaveCount(0)
})

test('a done chat comes back when the person writes again, and says why', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await chatButton(page, 'emma.and.theo').focus()
  await page.keyboard.press('e')
  await expect(chatButton(page, 'emma.and.theo')).toHaveCount(0)

  const participant = await participantIdOf(demoApp.control, 'emma.and.theo')
  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: participant, body: 'One more question about the handles!' })

  const back = chatButton(page, 'emma.and.theo')
  await expect(back).toContainText('Wrote again', { timeout: LIVE_UPDATE_TIMEOUT })
  await expect(back).toContainText('One more question about the handles!')
})

test('Pin keeps a chat at the top of the inbox', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const yuki = chatButton(page, 'yuki.tea')
  await yuki.focus()
  await page.keyboard.press('p')
  await expect(toast(page)).toContainText('Pinned: @yuki.tea')
  await expect(chatList(page).getByRole('listitem').first().getByRole('button')).toContainText('Pinned:')
  await expect(chatList(page).getByRole('listitem').first().getByRole('button')).toContainText('@yuki.tea')

  // Still on top after newer activity elsewhere, and after a reload.
  await page.reload()
  await expect(chatList(page).getByRole('listitem').first().getByRole('button')).toContainText('@yuki.tea')
  await openChat(page, 'yuki.tea')
  await page.getByRole('group', { name: 'Chat actions' }).getByRole('button', { name: 'Unpin' }).click()
  await expect(chatList(page).getByRole('listitem').first().getByRole('button')).not.toContainText('@yuki.tea')
})

test('labels: made in the picker, shown on rows, and filtering together with Unread', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await chatButton(page, 'marco.visuals').focus()
  await page.keyboard.press('Shift+L')
  const picker = page.getByRole('dialog', { name: 'Labels' })
  await picker.getByLabel('New label').fill('Collab')
  await picker.getByLabel('Colour').selectOption({ label: 'Purple' })
  await picker.getByRole('button', { name: 'Add' }).click()
  await expect(picker.getByRole('checkbox', { name: 'Collab' })).toBeChecked()
  await expectAxeClean(page, 'dialog[open]')
  await page.keyboard.press('Escape')
  await expect(picker).toHaveCount(0)
  await expect(chatButton(page, 'marco.visuals')).toContainText('Collab')

  // A second chat, already read (its last message is the creator's): the Unread filter leaves it out.
  await chatButton(page, 'dan.moreau').focus()
  await page.keyboard.press('Shift+L')
  await picker.getByRole('checkbox', { name: 'Collab' }).check()
  await expect(toast(page)).toContainText('Labelled “Collab”: @dan.moreau')
  await page.keyboard.press('Escape')

  await page.getByLabel('Label', { exact: true }).selectOption({ label: 'Collab' })
  await expect(chatList(page).getByRole('listitem')).toHaveCount(2)
  await page.getByRole('group', { name: 'Filter chats' }).getByRole('button', { name: 'Unread' }).click()
  await expect(chatList(page).getByRole('listitem')).toHaveCount(1)
  await expect(chatButton(page, 'marco.visuals')).toBeVisible()
  await expectAxeClean(page, 'nav')
  // The chip stays readable in the dark theme too.
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expectAxeClean(page, 'nav')
  await page.emulateMedia({ colorScheme: 'light' })

  // The label manager: rename, then delete (it comes off the chats).
  await page.getByRole('button', { name: 'Manage labels' }).click()
  const manager = page.getByRole('dialog', { name: 'Labels' })
  await expectAxeClean(page, 'dialog[open]')
  await manager.getByLabel('Name of label Collab').fill('Collabs')
  await manager.getByLabel('Name of label Collab').press('Enter')
  await expect(manager.getByLabel('Name of label Collabs')).toBeVisible()
  await manager.getByRole('button', { name: 'Delete Collabs' }).click()
  await manager.getByRole('button', { name: 'Delete from 2 chats' }).click()
  await expect(manager.getByText('No labels yet.', { exact: false })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByLabel('Label', { exact: true })).toHaveValue('')
})

test('bulk by pointer: Ctrl+click and Shift+click select, the bar acts on all, Undo restores all', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const before = await rowNames(page)
  await chatButton(page, 'priya.moves').click({ modifiers: ['ControlOrMeta'] })
  await chatButton(page, 'maya.bakes.bread').click({ modifiers: ['Shift'] })
  const bar = page.getByRole('group', { name: 'Selected chats' })
  await expect(bar.getByRole('status')).toHaveText('4 selected')
  await expect(chatList(page).getByRole('checkbox', { name: 'Select @k.nguyen' })).toBeChecked()
  await chatList(page).getByRole('checkbox', { name: 'Select @k.nguyen' }).uncheck()
  await expect(bar.getByRole('status')).toHaveText('3 selected')
  await expectAxeClean(page, 'nav')

  await bar.getByRole('button', { name: 'Mark selected done' }).click()
  await expect(toast(page)).toContainText('Marked done: 3 chats')
  await expect(chatButton(page, 'maya.bakes.bread')).toHaveCount(0)
  await toast(page).getByRole('button', { name: 'Undo' }).click()
  await expect.poll(() => rowNames(page)).toEqual(before)

  await chatButton(page, 'priya.moves').click({ modifiers: ['ControlOrMeta'] })
  await chatButton(page, 'k.nguyen').click({ modifiers: ['ControlOrMeta'] })
  await bar.getByRole('button', { name: 'Mark selected done' }).click()
  for (const name of ['priya.moves', 'k.nguyen']) await expect(chatButton(page, name)).toHaveCount(0)
  await expect(bar).toHaveCount(0)
  await view(page, 'Done').click()
  await expect(chatList(page).getByRole('listitem')).toHaveCount(2)
})

test('bulk by keyboard: X and Shift+Down select, H snoozes them all, Esc clears a selection', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await chatButton(page, 'priya.moves').focus()
  await page.keyboard.press('x')
  await page.keyboard.press('Shift+ArrowDown')
  await page.keyboard.press('Shift+ArrowDown')
  const bar = page.getByRole('group', { name: 'Selected chats' })
  await expect(bar.getByRole('status')).toHaveText('3 selected')
  await page.keyboard.press('h')
  const dialog = page.getByRole('dialog', { name: 'Snooze 3 chats until' })
  await dialog.getByRole('button', { name: /^Next week/ }).click()
  await expect(toast(page)).toContainText(/Snoozed until .*: 3 chats/)
  for (const name of ['priya.moves', 'tom.becker.cooks', 'k.nguyen']) await expect(chatButton(page, name)).toHaveCount(0)

  await view(page, 'Snoozed').click()
  await expect(chatList(page).getByRole('listitem')).toHaveCount(3)
  await chatButton(page, 'k.nguyen').focus()
  await page.keyboard.press('x')
  await expect(bar.getByRole('status')).toHaveText('1 selected')
  await page.keyboard.press('Escape')
  await expect(bar).toHaveCount(0)
})
