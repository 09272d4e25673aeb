// Saved replies, as a creator uses them, by role and name: written and reordered (keyboard and drag) in
// their dialog, inserted with "/" and a few fuzzy letters, filled in for the chat ({first_name} falls
// back to "there", said before sending), their quick replies becoming the message's own and reaching
// Postproxy with the text, exported and imported (a bad file imports nothing). Every new dialog is
// axe-clean at every impact level.
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expectAxeClean } from './axe.ts'
import { expect, test } from './fixtures.ts'
import { chatButton, LIVE_UPDATE_TIMEOUT, messageRow, openChat, openInbox, simChat, simMessages } from './inbox-page.ts'

test.describe.configure({ timeout: 180_000 })

function manager(page: Page) {
  return page.getByRole('dialog', { name: 'Saved replies' })
}

async function titles(page: Page): Promise<string[]> {
  return manager(page).getByRole('list', { name: 'Your saved replies' }).getByRole('listitem').locator('.title').allInnerTexts()
}

async function addReply(page: Page, reply: { title: string; text: string; chip?: { title: string; payload: string } }): Promise<void> {
  const dialog = manager(page)
  await dialog.getByRole('button', { name: 'New reply' }).click()
  const form = dialog.getByRole('form', { name: 'New saved reply' })
  await form.getByLabel('Title').fill(reply.title)
  await form.getByLabel('Text').fill(reply.text)
  if (reply.chip) {
    await form.getByRole('button', { name: 'Add a quick reply' }).click()
    await form.getByLabel('Quick reply 1 title').fill(reply.chip.title)
    await form.getByLabel('Quick reply 1 payload').fill(reply.chip.payload)
  }
  await form.getByRole('button', { name: 'Save reply' }).click()
  await expect(dialog.getByRole('status')).toHaveText(`Saved “${reply.title}”.`)
}

test('write, check and reorder saved replies, then insert one with "/" filled in for the chat', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const opener = page.getByRole('button', { name: 'Saved replies' })
  await opener.click()
  await expect(manager(page)).toBeVisible()

  // The rules speak before anything is stored.
  await manager(page).getByRole('button', { name: 'New reply' }).click()
  const form = manager(page).getByRole('form', { name: 'New saved reply' })
  await form.getByRole('button', { name: 'Add a button' }).click()
  await form.getByLabel('Button 1 title').fill('Shop')
  await form.getByLabel('Button 1 link').fill('http://shop.example')
  await form.getByRole('button', { name: 'Save reply' }).click()
  await expect(form.getByRole('alert')).toContainText('Give the reply a title.')
  await expect(form.getByRole('alert')).toContainText('buttons[0].url must be an https:// URL')
  await expectAxeClean(page, 'dialog[open]')
  await form.getByRole('button', { name: 'Cancel' }).click()

  await addReply(page, { title: 'Shipping times', text: 'Hi {first_name}! We ship worldwide in 3–5 days.' })
  await addReply(page, { title: 'Sizes', text: 'Our sizes run true to fit. Which one?', chip: { title: 'Small', payload: 'SIZE_S' } })
  await addReply(page, { title: 'Thanks', text: 'Thank you @{username}, talk soon!' })
  await expect.poll(() => titles(page)).toEqual(['Shipping times', 'Sizes', 'Thanks'])
  await expectAxeClean(page, 'dialog[open]')

  // Reorder from the keyboard, then by dragging.
  await manager(page).getByRole('button', { name: 'Move “Thanks” up' }).click()
  await expect.poll(() => titles(page)).toEqual(['Shipping times', 'Thanks', 'Sizes'])
  await expect(manager(page).getByRole('status')).toHaveText('Moved “Thanks” to position 2 of 3.')
  const rows = manager(page).getByRole('list', { name: 'Your saved replies' }).getByRole('listitem')
  await rows.filter({ hasText: 'Sizes' }).dragTo(rows.filter({ hasText: 'Shipping times' }), { targetPosition: { x: 40, y: 4 } })
  await expect.poll(() => titles(page)).toEqual(['Sizes', 'Shipping times', 'Thanks'])

  // Edit one, delete another (after a confirmation).
  await manager(page).getByRole('button', { name: 'Edit “Thanks”' }).click()
  const edit = manager(page).getByRole('form', { name: 'Edit “Thanks”' })
  await edit.getByLabel('Title').fill('Thank you')
  await edit.getByRole('button', { name: 'Save changes' }).click()
  await expect(manager(page).getByRole('status')).toHaveText('Saved “Thank you”.')
  await addReply(page, { title: 'Old promo', text: 'Use code SPRING10.' })
  await manager(page).getByRole('button', { name: 'Delete “Old promo”' }).click()
  await manager(page).getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(manager(page).getByRole('status')).toHaveText('Deleted “Old promo”.')
  await expect.poll(() => titles(page)).toEqual(['Sizes', 'Shipping times', 'Thank you'])

  await page.keyboard.press('Escape')
  await expect(manager(page)).toHaveCount(0)
  await expect(opener).toBeFocused()

  await openChat(page, 'maya.bakes.bread')
  const composer = page.getByRole('textbox', { name: 'Message' })
  // "/" inside a word is just text.
  await composer.fill('')
  await composer.pressSequentially('and/or')
  await expect(composer).toHaveValue('and/or')
  await composer.fill('')

  await composer.press('/')
  const picker = page.getByRole('dialog', { name: 'Insert a saved reply' })
  await expect(picker.getByRole('option')).toHaveCount(3)
  await picker.getByRole('searchbox', { name: 'Find a saved reply' }).fill('shpng')
  await expect(picker.getByRole('option').first()).toContainText('Shipping times')
  await expect(picker.getByRole('region', { name: 'Preview' })).toContainText('Hi Maya! We ship worldwide in 3–5 days.')
  await expectAxeClean(page, 'dialog[open]')
  await page.keyboard.press('Enter')
  await expect(picker).toHaveCount(0)
  await expect(composer).toHaveValue('Hi Maya! We ship worldwide in 3–5 days.')
  await expect(composer).toBeFocused()

  // A reply with quick replies: they become the message's own (shown, to change or remove) and go with it.
  await composer.fill('')
  await composer.press('/')
  await picker.getByRole('searchbox', { name: 'Find a saved reply' }).fill('true fit')
  await expect(picker.getByRole('region', { name: 'Preview' })).toContainText('Quick replies: Small')
  await page.keyboard.press('Enter')
  await expect(composer).toHaveValue('Our sizes run true to fit. Which one?')
  await expect(page.getByRole('status').filter({ hasText: '“Sizes” added its quick replies' })).toBeVisible()
  const parts = page.getByRole('region', { name: 'Quick replies and buttons' })
  await expect(parts.getByRole('textbox', { name: 'Quick reply 1 title' })).toHaveValue('Small')
  await expect(parts.getByRole('textbox', { name: 'Quick reply 1 payload' })).toHaveValue('SIZE_S')
  await expectAxeClean(page, 'main')
  await composer.press('Enter')
  const sentRow = messageRow(page, 'Our sizes run true to fit. Which one?')
  await expect(sentRow.getByRole('list', { name: 'Quick replies offered' }).getByRole('listitem')).toHaveText(['Small'])
  await expect(parts).toBeHidden()
  const maya = await simChat(demoApp, 'maya.bakes.bread')
  await expect
    .poll(async () => (await simMessages(demoApp, maya.id)).find((m) => m.body === 'Our sizes run true to fit. Which one?')?.quick_replies)
    .toEqual([{ content_type: 'text', title: 'Small', payload: 'SIZE_S' }])

  // Esc: the "/" was meant as text.
  await composer.fill('Path: ')
  await composer.press('End')
  await composer.press('/')
  await expect(picker).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(picker).toHaveCount(0)
  await expect(composer).toHaveValue('Path: /')
})

test('a chat without a known name gets "there", and the composer says so before sending', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: 'igsid_nameless_1', participant_username: 'quiet.visitor', body: 'hello?' })
  await expect(chatButton(page, 'quiet.visitor')).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })

  await page.getByRole('button', { name: 'Saved replies' }).click()
  await addReply(page, { title: 'Welcome', text: 'Hi {first_name}, thanks for writing, @{username}!' })
  await page.keyboard.press('Escape')

  await openChat(page, 'quiet.visitor')
  const composer = page.getByRole('textbox', { name: 'Message' })
  await composer.press('/')
  const picker = page.getByRole('dialog', { name: 'Insert a saved reply' })
  await expect(picker.getByRole('region', { name: 'Preview' })).toContainText('Hi there, thanks for writing, @quiet.visitor!')
  await expect(picker.getByRole('region', { name: 'Preview' })).toContainText('Not known for this chat: first name. “there” stands in.')
  await page.keyboard.press('Enter')
  await expect(composer).toHaveValue('Hi there, thanks for writing, @quiet.visitor!')
  await expect(page.getByRole('status').filter({ hasText: "@quiet.visitor's first name isn't known, so “there” stands in." })).toBeVisible()
})

test('export to a JSON file; a broken import changes nothing and says why; a good one replaces the list', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await page.getByRole('button', { name: 'Saved replies' }).click()
  await addReply(page, { title: 'Opening hours', text: 'We are open Tuesday to Saturday, 10 to 6.' })

  const download = page.waitForEvent('download')
  await manager(page).getByRole('button', { name: 'Export' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^dmdesk-saved-replies-\d{4}-\d{2}-\d{2}\.json$/)
  const exported = JSON.parse(readFileSync((await file.path())!, 'utf8'))
  expect(exported).toMatchObject({ format: 'dmdesk.saved-replies', version: 1, replies: [{ title: 'Opening hours', text: 'We are open Tuesday to Saturday, 10 to 6.' }] })

  const fileInput = manager(page).getByLabel('Saved replies file to import')
  const broken = { format: 'dmdesk.saved-replies', version: 1, replies: [{ title: 'Fine', text: 'ok' }, { title: 'Too many chips', text: 'x', quickReplies: Array.from({ length: 14 }, (_, i) => ({ title: `C${i}`, payload: `P${i}` })) }] }
  await fileInput.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) })
  await expect(manager(page).getByRole('alert')).toHaveText(
    'Nothing was imported. Reply 2 (“Too many chips”): quick_replies can have at most 13 items; this message has 14.'
  )
  await expect.poll(() => titles(page)).toEqual(['Opening hours'])
  await fileInput.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some notes') })
  await expect(manager(page).getByRole('alert')).toContainText("This file isn't JSON.")

  const good = { format: 'dmdesk.saved-replies', version: 1, replies: [{ title: 'Collab', text: 'Email me at studio@example.com' }, { title: 'Restock', text: 'Back in stock on Friday!' }] }
  await manager(page).getByRole('radio', { name: 'Replace mine' }).check()
  await fileInput.setInputFiles({ name: 'team.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) })
  await expect(manager(page).getByRole('status')).toHaveText('Imported 2 saved replies from team.json.')
  await expect.poll(() => titles(page)).toEqual(['Collab', 'Restock'])
  await expectAxeClean(page, 'dialog[open]')
})
