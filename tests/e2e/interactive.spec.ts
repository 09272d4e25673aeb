// Issue #11, as a creator uses it: quick replies and buttons in the composer (refused in the server's own
// words, the draft kept), what the business sent and the participant tapped, replying to a message and
// jumping to a quoted one, what Instagram shows (Edited, the referral, story pictures, whom you follow), the
// ice breakers in Settings, and R / L on the keyboard. Each new screen is checked with axe at every level.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'
import { chatButton, LIVE_UPDATE_TIMEOUT, messageRow, messages, openChat, openInbox, screenshot, simChat, simMessages, thread } from './inbox-page.ts'

// Each test runs axe (tens of seconds on a loaded 2-core machine) besides its steps: a larger budget.
test.describe.configure({ timeout: 150_000 })

/** No axe violation of any impact (minor included) on what the page shows now. */
async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const violations = results.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  expect(violations).toEqual([])
}

const box = (page: Page) => page.getByRole('textbox', { name: 'Message' })

test.describe('quick replies and buttons in the composer', () => {
  test('refuses with the server words before sending, keeps the draft, then sends the chips', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await openChat(page, 'maya.bakes.bread')
    const maya = await simChat(demoApp, 'maya.bakes.bread')
    const before = (await simMessages(demoApp, maya.id)).length

    await page.getByRole('button', { name: 'Quick replies and buttons' }).click()
    const parts = page.getByRole('region', { name: 'Quick replies and buttons' })
    await parts.getByRole('button', { name: 'Add quick reply' }).click()
    await expect(parts.getByRole('textbox', { name: 'Quick reply 1 title' })).toBeFocused()
    await parts.getByRole('textbox', { name: 'Quick reply 1 title' }).fill('Pick up at the studio please')
    await parts.getByRole('button', { name: 'Add quick reply' }).click()
    await parts.getByRole('textbox', { name: 'Quick reply 2 title' }).fill('Ship it')
    await box(page).fill('How would you like to get your order?')
    await expectNoAxeViolations(page)
    await screenshot(page, 'interactive-composer')
    await box(page).press('Enter')

    await expect(page.getByRole('alert')).toHaveText('quick_replies[0].title must be at most 20 characters (it has 28).')
    // Nothing left the app, and nothing of the draft was lost.
    expect((await simMessages(demoApp, maya.id)).length).toBe(before)
    await expect(box(page)).toHaveValue('How would you like to get your order?')
    await expect(parts.getByRole('textbox', { name: 'Quick reply 2 title' })).toHaveValue('Ship it')

    await parts.getByRole('textbox', { name: 'Quick reply 1 title' }).fill('Studio pickup')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    const row = messageRow(page, 'How would you like to get your order?')
    await expect(row.getByRole('list', { name: 'Quick replies offered' }).getByRole('listitem')).toHaveText(['Studio pickup', 'Ship it'])
    await expect(row.getByText('Sent', { exact: true })).toBeVisible()
    await expect(parts).toBeHidden()
    const sent = (await simMessages(demoApp, maya.id)).find((m) => m.body === 'How would you like to get your order?')!
    expect(sent.quick_replies).toEqual([
      { content_type: 'text', title: 'Studio pickup', payload: 'STUDIO_PICKUP' },
      { content_type: 'text', title: 'Ship it', payload: 'SHIP_IT' }
    ])
  })

  test('buttons: an http link is refused in the server words; the sent card shows its buttons, links open outside', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await openChat(page, 'maya.bakes.bread')
    await page.getByRole('button', { name: 'Quick replies and buttons' }).click()
    const parts = page.getByRole('region', { name: 'Quick replies and buttons' })
    await parts.getByRole('button', { name: 'Add button' }).click()
    await parts.getByRole('combobox', { name: 'Button 1 kind' }).selectOption('Link button')
    await parts.getByRole('textbox', { name: 'Button 1 title' }).fill('Track order')
    await parts.getByRole('textbox', { name: 'Button 1 link' }).fill('http://clay.example/track')
    await parts.getByRole('button', { name: 'Add button' }).click()
    await parts.getByRole('textbox', { name: 'Button 2 title' }).fill('Talk to me')
    await parts.getByRole('textbox', { name: 'Card subtitle' }).fill('Order #1042 · shipped Monday')
    await box(page).fill('Your order is on its way')
    await box(page).press('Enter')
    await expect(page.getByRole('alert')).toHaveText('buttons[0].url must be an https:// URL')

    await parts.getByRole('textbox', { name: 'Button 1 link' }).fill('https://clay.example/track')
    await box(page).press('Enter')
    const card = messageRow(page, 'Your order is on its way').getByRole('group', { name: 'Buttons offered' })
    await expect(card.getByText('Order #1042 · shipped Monday')).toBeVisible()
    const link = card.getByRole('link', { name: /Track order/ })
    await expect(link).toHaveAttribute('href', 'https://clay.example/track')
    // A new window, which the shell hands to the system browser after its scheme check.
    await expect(link).toHaveAttribute('target', '_blank')
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer')
    await expect(card.getByText('Talk to me')).toBeVisible()
    await expectNoAxeViolations(page)
  })
})

test.describe('taps', () => {
  test("Olivia's chips, card and taps read as she saw them; a new tap shows and opens the window", async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await openChat(page, 'oliviaparkstudio')
    await expect(messageRow(page, 'Which session works for you?').getByRole('list', { name: 'Quick replies offered' })).toContainText('Saturday 2pm')
    await expect(messageRow(page, 'Tapped «Saturday 10am»')).toBeVisible()
    await expect(messageRow(page, 'Tapped «Bring a friend»')).toBeVisible()
    await expect(messageRow(page, 'You are booked').getByRole('link', { name: /Workshop details/ })).toHaveAttribute('href', 'https://clayandtide.example/workshops')
    await expectNoAxeViolations(page)
    await screenshot(page, 'interactive-olivia')

    // Grace wrote more than 24 hours ago: only a human-agent reply may go, with a chip to tap.
    await openChat(page, 'grace.collects')
    await expect(thread(page).getByTestId('window-state')).not.toHaveText(/Messaging window open/)
    await page.getByRole('checkbox', { name: 'Human agent reply' }).check()
    await page.getByRole('button', { name: 'Quick replies and buttons' }).click()
    await page.getByRole('button', { name: 'Add quick reply' }).click()
    await page.getByRole('textbox', { name: 'Quick reply 1 title' }).fill('Yes please')
    await box(page).fill('Are you still interested in the vase?')
    await box(page).press('Enter')
    await expect(messageRow(page, 'Are you still interested in the vase?').getByText('Sent', { exact: true })).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })

    const grace = await simChat(demoApp, 'grace.collects')
    const asked = (await simMessages(demoApp, grace.id)).find((m) => m.body === 'Are you still interested in the vase?')!
    await demoApp.control('POST', '/_sim/taps', { message_id: asked.id, quick_reply: 0 })
    await expect(messageRow(page, 'Tapped «Yes please»')).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
    // The tap opened the window, visibly.
    await expect(thread(page).getByTestId('window-state')).toHaveText(/Messaging window open/)
    await expect(chatButton(page, 'grace.collects')).toHaveAccessibleName(/messaging window open/)
  })
})

test.describe('reply to a message', () => {
  test('quotes it in the composer (removable), sends reply_to_external_id, and shows the quote', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await openChat(page, 'oliviaparkstudio')
    const question = messageRow(page, 'Also do we need to bring anything?')
    await question.getByRole('button', { name: 'Reply to “Also do we need to bring…”' }).click()
    const quote = page.getByRole('group', { name: 'Replying to a message' })
    await expect(quote).toContainText('Replying to @oliviaparkstudio')
    await expect(box(page)).toBeFocused()
    await expectNoAxeViolations(page)

    await quote.getByRole('button', { name: 'Remove the quote' }).click()
    await expect(quote).toBeHidden()
    // Keyboard: focus the message's Reply and press Enter; Esc in the box removes the quote too.
    await question.getByRole('button', { name: /^Reply to/ }).focus()
    await page.keyboard.press('Enter')
    await expect(quote).toBeVisible()
    await box(page).press('Escape')
    await expect(quote).toBeHidden()

    await question.getByRole('button', { name: /^Reply to/ }).click()
    await box(page).fill('Just yourselves, aprons are provided!')
    await box(page).press('Enter')
    const sent = messageRow(page, 'Just yourselves, aprons are provided!')
    await expect(sent.getByRole('button', { name: 'Go to the quoted message from @oliviaparkstudio: Also do we need to bring anything?' })).toBeVisible()
    await expect(quote).toBeHidden()

    const olivia = await simChat(demoApp, 'oliviaparkstudio')
    const server = await simMessages(demoApp, olivia.id)
    const original = server.find((m) => m.body === 'Also do we need to bring anything?')!
    await expect.poll(async () => (await simMessages(demoApp, olivia.id)).find((m) => m.body === 'Just yourselves, aprons are provided!')?.reply_to_external_id).toBe(original.external_id)
  })

  test('a message still sending cannot be replied to, and says so', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await openChat(page, 'maya.bakes.bread')
    await demoApp.control('POST', '/_sim/faults', { kind: 'stall', count: 1 })
    await box(page).fill('Held up on its way')
    await box(page).press('Enter')
    const row = messageRow(page, 'Held up on its way')
    await expect(row.getByText('Sending…')).toBeVisible()
    await row.getByRole('button', { name: /^Reply to/ }).click()
    await expect(row.getByRole('alert')).toHaveText("This message hasn't reached Instagram yet, so it can't be replied to. Wait until it shows Sent.")
    await expect(page.getByRole('group', { name: 'Replying to a message' })).toBeHidden()
    await demoApp.control('POST', '/_sim/faults/release')
  })

  test('activating a quote jumps to the original, loading older messages, and highlights it', async ({ demoApp, page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    const olivia = await simChat(demoApp, 'oliviaparkstudio')
    const booked = (await simMessages(demoApp, olivia.id)).find((m) => m.body?.startsWith('You are booked'))!
    // The first sync has stored the original (it fetches each chat's newest messages once the list is painted).
    await openInbox(page, demoApp.url)
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(/Up to date|Updated/)
    // 55 newer messages push the original out of the first page the thread loads.
    for (let i = 1; i <= 55; i++) await demoApp.control('POST', '/_sim/inbound', { participant_external_id: olivia.participant_external_id, body: `filler ${i}` })
    await demoApp.control('POST', '/_sim/inbound', { participant_external_id: olivia.participant_external_id, body: 'Wait, which room again?', reply_to_external_id: booked.external_id })

    await openChat(page, 'oliviaparkstudio')
    const asking = messageRow(page, 'Wait, which room again?')
    await expect(asking).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
    // The original's own row (not a quote of it) is not loaded yet.
    const original = messageRow(page, 'You are booked').filter({ hasNot: page.getByRole('button', { name: /^Go to the quoted message/ }) })
    await expect(original).toHaveCount(0)

    await asking.getByRole('button', { name: /^Go to the quoted message from You: You are booked/ }).click()
    await expect(original).toBeInViewport()
    await expect(original.locator('.message')).toHaveClass(/highlighted/)
    await expect(original.getByRole('button', { name: /^Reply to/ })).toBeFocused()
    // Reduced motion: the highlight appears without a transition.
    expect(await original.locator('.message').evaluate((node) => getComputedStyle(node).transitionDuration)).toBe('0s')
    await expectNoAxeViolations(page)
  })

  test('quotes of messages the inbox never loaded or that were unsent say so', async ({ demoApp, page }) => {
    const olivia = await simChat(demoApp, 'oliviaparkstudio')
    const first = (await simMessages(demoApp, olivia.id)).find((m) => m.body === 'Hi! Is there still space in the Saturday wheel-throwing workshop?')!
    await demoApp.control('POST', `/_sim/messages/${first.id}/unsend`)
    await demoApp.control('POST', '/_sim/inbound', { participant_external_id: olivia.participant_external_id, body: 'About my first message', reply_to_external_id: first.external_id })
    await openInbox(page, demoApp.url)
    await openChat(page, 'oliviaparkstudio')
    await expect(messageRow(page, 'About my first message').getByText('Original message removed')).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  })
})

test.describe('what Instagram shows', () => {
  test('Edited, the referral chip on the row and the header, You follow them, and the story picture', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await expect(chatButton(page, 'sofia.reyes.home')).toContainText('from link spring_drop')
    await openChat(page, 'sofia.reyes.home')
    await expect(thread(page).getByText('from link spring_drop')).toBeVisible() // in the header

    await openChat(page, 'bea.in.bloom')
    await expect(messageRow(page, 'Could I order 24 of the small ones').getByText('Edited', { exact: true })).toBeVisible()
    await expect(thread(page).getByText(/You follow them/)).toBeVisible()

    await openChat(page, 'lena_draws')
    const story = messageRow(page, 'omg that glaze!!').getByRole('img', { name: 'Your story they replied to' })
    await expect(story).toBeVisible()
    expect(await story.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await expect(story).toHaveAttribute('src', /^\/media\/story-reply%3A/)
    await expectNoAxeViolations(page)
    await screenshot(page, 'interactive-story-reply')
  })

  test('the story picture is served from the cache when the network is gone', async ({ liveApp, page }) => {
    await page.goto(liveApp.url)
    await page.getByRole('textbox', { name: 'API key' }).fill(liveApp.simulatorApiKey)
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })
    await openChat(page, 'lena_draws')
    const story = messageRow(page, 'omg that glaze!!').getByRole('img', { name: 'Your story they replied to' })
    await expect.poll(() => story.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)

    await liveApp.stopBackend!()
    await page.reload()
    await openChat(page, 'lena_draws')
    await expect.poll(() => story.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  })
})

test.describe('ice breakers in Settings', () => {
  test('load, check in the server words, save, and remove, in sync with Postproxy', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await page.getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    await expect(settings.getByRole('textbox', { name: 'Ice breaker 1 question' })).not.toHaveValue('')
    await expect(settings.getByRole('group', { name: /^Ice breaker \d$/ })).toHaveCount(4)
    await expect(settings.getByRole('button', { name: 'Add a question' })).toBeDisabled() // four is the most
    await expectNoAxeViolations(page)
    await screenshot(page, 'interactive-ice-breakers')

    const profiles = (await demoApp.control('GET', '/api/profiles')) as { data: { id: string }[] }
    const onServer = async () => ((await demoApp.control('GET', `/api/profiles/${profiles.data[0].id}/ice_breakers`)) as { ice_breakers: { question: string; payload: string }[] }).ice_breakers

    for (let i = 4; i >= 2; i--) await settings.getByRole('button', { name: `Remove ice breaker ${i}` }).click()
    await settings.getByRole('textbox', { name: 'Ice breaker 1 question' }).fill('q'.repeat(81))
    await settings.getByRole('button', { name: 'Save ice breakers' }).click()
    await expect(settings.getByRole('alert')).toHaveText('ice_breakers[0].question must be at most 80 characters (it has 81).')
    expect(await onServer()).toHaveLength(4) // nothing was sent

    await settings.getByRole('textbox', { name: 'Ice breaker 1 question' }).fill('Do you ship to Canada?')
    await settings.getByRole('textbox', { name: 'Ice breaker 1 payload' }).fill('ICE_CANADA')
    await settings.getByRole('button', { name: 'Save ice breakers' }).click()
    await expect(settings.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
    expect(await onServer()).toEqual([{ question: 'Do you ship to Canada?', payload: 'ICE_CANADA' }])

    await settings.getByRole('button', { name: 'Remove all ice breakers' }).click()
    await expect(settings.getByText('No ice breakers yet.')).toBeVisible()
    expect(await onServer()).toEqual([])
    await expectNoAxeViolations(page)
  })
})

test.describe('keyboard', () => {
  test('R quotes the focused message (or their last one), L loves it, Q goes to what it quotes, Alt+Q opens the buttons; love buttons name their message', async ({ demoApp, page }) => {
    await openInbox(page, demoApp.url)
    await openChat(page, 'oliviaparkstudio')
    await messages(page).focus()
    await page.keyboard.press('r')
    const quote = page.getByRole('group', { name: 'Replying to a message' })
    await expect(quote).toContainText('Also do we need to bring…')
    await expect(box(page)).toBeFocused()
    await box(page).press('Escape')

    const sisterReply = messages(page).getByRole('button', { name: 'Reply to “It is my sister. Is it…”' })
    await sisterReply.focus()
    await page.keyboard.press('l')
    await expect(messages(page).getByRole('button', { name: 'Love “It is my sister. Is it…”' })).toHaveAttribute('aria-pressed', 'true')
    await sisterReply.focus()
    await page.keyboard.press('r')
    await expect(quote).toContainText('It is my sister. Is it…')
    await expect(box(page)).toBeFocused()
    // Typed into the box, R is a letter.
    await box(page).pressSequentially('rl')
    await expect(box(page)).toHaveValue('rl')

    await box(page).fill('')
    // Alt+Q in the box opens the quick replies and buttons, and closes them again.
    await box(page).press('Alt+q')
    await expect(page.getByRole('region', { name: 'Quick replies and buttons' })).toBeVisible()
    await box(page).press('Alt+q')
    await expect(page.getByRole('region', { name: 'Quick replies and buttons' })).toBeHidden()

    // Q on a message that quotes another goes to the original.
    await messages(page).getByRole('button', { name: 'Reply to “Yes, two hours with a…”' }).focus()
    await page.keyboard.press('q')
    await expect(sisterReply).toBeFocused()

    const loveNames = await messages(page).getByRole('button', { name: /^Love/ }).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')))
    expect(loveNames.length).toBeGreaterThan(3)
    for (const name of loveNames) expect(name).toMatch(/^Love (“.+”|the .+ from .+)$/)
  })
})
