// The unified inbox (issue #13) as a creator with several profiles uses it: one list across their
// Instagram accounts and their Messenger Page, each row saying whose it is; a filter by profile with
// unread counts; a Messenger reply that reaches Postproxy; a notification naming the profile; another
// Postproxy account added in Settings and removed; a profile whose connection expired; and axe on each new
// state, light and dark.
import type { Page } from '@playwright/test'
import { expectAxeClean } from './axe.ts'
import { expect, test, type DmdeskApp } from './fixtures.ts'
import { captureNotifications, chatButton, chatList, LIVE_UPDATE_TIMEOUT, messageRow, thread } from './inbox-page.ts'

interface SimState {
  profiles: { id: string; name: string; platform: string }[]
  chats: { id: string; profile_id: string; participant_name: string | null; participant_username: string | null }[]
}

const MESSENGER_PERSON = 'Daniel Okoro'
const INSTAGRAM_PERSON = 'tom.becker.cooks'

function profileFilter(page: Page) {
  return page.getByRole('combobox', { name: 'Profiles' })
}

async function simProfile(app: DmdeskApp, platform: string): Promise<string> {
  const state = (await app.control('GET', '/_sim/state')) as SimState
  return state.profiles.find((p) => p.platform === platform)!.id
}

async function simChatOf(app: DmdeskApp, name: string): Promise<string> {
  const state = (await app.control('GET', '/_sim/state')) as SimState
  return state.chats.find((c) => c.participant_name === name)!.id
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click()
  return page.getByRole('dialog', { name: 'Settings' })
}

/**
 * The Page's connection expires while the creator is signed out, and they sign in again (the cache kept).
 * Signed in, the core reads a profile's state from Postproxy at sign-in, now and then (every 10 minutes)
 * and at once from the relay's profile.* events; this spec has no relay, so signing in is when it learns.
 */
async function expireMessengerWhileSignedOut(page: Page, app: DmdeskApp) {
  const settings = await openSettings(page)
  await settings.getByRole('button', { name: 'Sign out' }).click()
  await app.control('POST', `/_sim/profiles/${await simProfile(app, 'facebook')}/expire`)
  await page.getByRole('textbox', { name: 'API key' }).fill(app.simulatorApiKey)
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
}

test('one list across profiles, each row badged with its own; the filter narrows it and counts unread', async ({ multiApp, page }) => {
  void multiApp
  await expect(chatButton(page, MESSENGER_PERSON)).toHaveAccessibleName(/on Messenger · Clay & Tide Studio/)
  await expect(chatButton(page, INSTAGRAM_PERSON)).toHaveAccessibleName(/on Instagram · Clay & Tide Studio/)

  const filter = profileFilter(page)
  await expect(filter).toHaveValue('')
  const options = filter.getByRole('option')
  // All, the two Instagram accounts and the Page; the TikTok account has no direct messages.
  await expect(options).toHaveCount(4)
  await expect(options.nth(0)).toHaveText(/^All profiles/)
  await expect(filter.getByRole('option', { name: /^Messenger · Clay & Tide Studio/ })).toHaveCount(1)
  await expect(filter.getByRole('option', { name: /^Instagram · Tide Clay School/ })).toHaveCount(1)
  // "All profiles" counts what the status bar counts: every profile's unread messages.
  const total = await page.getByRole('contentinfo', { name: 'Status' }).getByText(/unread/).textContent()
  const n = /^(\d+) unread$/.exec(total ?? '')?.[1]
  await expect(options.nth(0)).toHaveText(n ? `All profiles · ${n} unread` : 'All profiles')

  await filter.selectOption({ label: (await filter.getByRole('option', { name: /^Messenger · Clay & Tide Studio/ }).textContent())! })
  await expect(chatButton(page, INSTAGRAM_PERSON)).toHaveCount(0)
  await expect(chatButton(page, MESSENGER_PERSON)).toBeVisible()
  const rows = chatList(page).getByRole('listitem').getByRole('button')
  for (const row of await rows.all()) await expect(row).toHaveAccessibleName(/on Messenger · Clay & Tide Studio/)

  await filter.selectOption('')
  await expect(chatButton(page, INSTAGRAM_PERSON)).toBeVisible()
  await expect(chatButton(page, MESSENGER_PERSON)).toBeVisible()
})

test('a Messenger chat says which profile answers, and a reply reaches Postproxy from the Page', async ({ multiApp, page }) => {
  await chatButton(page, MESSENGER_PERSON).click()
  await expect(thread(page)).toBeVisible()
  await expect(thread(page).getByText('Replying as Clay & Tide Studio on Messenger')).toBeVisible()

  const text = `The spring workshop has two seats left (${Date.now()})`
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill(text)
  await box.press('Enter')
  await expect(messageRow(page, text).getByText('Sent', { exact: true })).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })

  const chatId = await simChatOf(multiApp, MESSENGER_PERSON)
  const onServer = (await multiApp.control('GET', `/_sim/chats/${chatId}`)) as { chat: { profile_id: string }; messages: { body: string | null; direction: string }[] }
  expect(onServer.chat.profile_id).toBe(await simProfile(multiApp, 'facebook'))
  expect(onServer.messages.find((m) => m.body === text)?.direction).toBe('outbound')
})

test('a new message notifies with the profile that got it', async ({ multiApp, page }) => {
  const notifications = await captureNotifications(page, new URL(multiApp.url).origin)
  await page.reload()
  await chatButton(page, INSTAGRAM_PERSON).click()
  const text = `Is the Saturday class still on? (${Date.now()})`

  await multiApp.control('POST', '/_sim/inbound', { profile_id: await simProfile(multiApp, 'facebook'), participant_external_id: 'psid_e2e_ana', participant_name: 'Ana Souza', body: text })

  await expect.poll(notifications, { timeout: LIVE_UPDATE_TIMEOUT }).toEqual([{ title: 'Ana Souza → Clay & Tide Studio · Messenger', body: text, tag: expect.any(String) }])
  await expect(chatButton(page, 'Ana Souza')).toHaveAccessibleName(/on Messenger · Clay & Tide Studio/)
})

test('another Postproxy account added in Settings joins its profiles to the inbox, and is removed', async ({ multiApp, page }) => {
  const second = (await multiApp.control('POST', '/_sim/accounts', { scenario: 'demo', seed: 3 })) as { api_key: string; profile_id: string }
  const studioOptions = profileFilter(page).getByRole('option', { name: /^Instagram · Clay & Tide Studio/ })
  await expect(studioOptions).toHaveCount(1)

  const settings = await openSettings(page)
  const accounts = settings.getByRole('region', { name: 'Postproxy accounts' })
  await expect(accounts.getByText('Postproxy account 1')).toBeVisible()
  await expect(accounts.getByRole('list', { name: 'Profiles of Postproxy account 1' })).toContainText('Messenger · Clay & Tide Studio')

  const key = accounts.getByLabel('Another Postproxy API key')
  await key.fill('sk_not_a_real_key')
  await accounts.getByRole('button', { name: 'Add another API key' }).click()
  await expect(accounts.getByRole('alert')).toContainText(/API key/)
  // A refused key stays in the field to be corrected.
  await expect(key).toHaveValue('sk_not_a_real_key')

  await key.fill(second.api_key)
  await accounts.getByRole('button', { name: 'Add another API key' }).click()
  await expect(accounts.getByRole('status')).toHaveText('Postproxy account 2 added: its profiles are in your inbox now.')
  await expect(key).toHaveValue('')
  await expect(accounts.getByRole('list', { name: 'Profiles of Postproxy account 2' })).toContainText('Instagram · Clay & Tide Studio')
  await settings.getByRole('button', { name: 'Close' }).click()

  // Its profile is in the filter, and its chats in the list once synced.
  await expect(studioOptions).toHaveCount(2)
  await profileFilter(page).selectOption(second.profile_id)
  await expect(chatList(page).getByRole('listitem').first()).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await profileFilter(page).selectOption('')

  await openSettings(page)
  await accounts.getByRole('button', { name: 'Remove Postproxy account 2' }).click()
  await accounts.getByRole('group', { name: 'Remove Postproxy account 2?' }).getByRole('button', { name: 'Remove Postproxy account 2' }).click()
  await expect(accounts.getByText('Postproxy account 2')).toHaveCount(0)
  await settings.getByRole('button', { name: 'Close' }).click()
  await expect(studioOptions).toHaveCount(1)
})

test('a profile whose connection expired says so, and its chats keep their drafts but cannot send', async ({ multiApp, page }) => {
  await chatButton(page, MESSENGER_PERSON).click()
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill('Half-written answer')
  // Leaving the chat keeps the draft.
  await chatButton(page, INSTAGRAM_PERSON).click()
  await expect(chatButton(page, MESSENGER_PERSON)).toContainText('Draft')

  await expireMessengerWhileSignedOut(page, multiApp)
  const problems = page.getByRole('region', { name: 'Profiles that need attention' })
  await expect(problems).toContainText(/Messenger · Clay & Tide Studio: The Facebook Messenger connection of "Clay & Tide Studio" expired/)
  await expect(profileFilter(page).getByRole('option', { name: /^Messenger · Clay & Tide Studio.* · expired$/ })).toHaveCount(1)
  await expect(chatButton(page, MESSENGER_PERSON)).toHaveAccessibleName(/on Messenger · Clay & Tide Studio \(expired\)/)

  await chatButton(page, MESSENGER_PERSON).click()
  await expect(thread(page).getByText(/^Can't reply as Clay & Tide Studio on Messenger: The Facebook Messenger connection/)).toBeVisible()
  await expect(box).toBeDisabled()
  await expect(box).toHaveValue('Half-written answer')
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled()
  // Its Instagram neighbour still answers.
  await chatButton(page, INSTAGRAM_PERSON).click()
  await expect(box).toBeEnabled()
  await expect(thread(page).getByText('Replying as Clay & Tide Studio on Instagram')).toBeVisible()
})

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme })
    test.describe.configure({ timeout: 240_000 })

    test('the unified inbox, a Messenger thread, an expired profile and Settings are axe-clean', async ({ multiApp, page }) => {
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })
      await expectAxeClean(page)

      await chatButton(page, MESSENGER_PERSON).click()
      await expect(thread(page).getByText('Replying as Clay & Tide Studio on Messenger')).toBeVisible()
      await expectAxeClean(page)

      await expireMessengerWhileSignedOut(page, multiApp)
      await expect(page.getByRole('region', { name: 'Profiles that need attention' })).toBeVisible()
      await chatButton(page, MESSENGER_PERSON).click()
      await expect(page.getByRole('textbox', { name: 'Message' })).toBeDisabled()
      await expectAxeClean(page)

      const settings = await openSettings(page)
      await settings.getByRole('region', { name: 'Postproxy accounts' }).getByLabel('Another Postproxy API key').fill('sk_not_a_real_key')
      await settings.getByRole('button', { name: 'Add another API key' }).click()
      await expect(settings.getByRole('alert')).toBeVisible()
      await expectAxeClean(page)
    })
  })
}
