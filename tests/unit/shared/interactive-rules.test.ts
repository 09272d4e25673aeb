// The rules of an interactive send and of ice breakers (POSTPROXY.md §9), as the simulator enforces
// them and the composer checks them: each problem is one sentence naming the field and index.
import { describe, expect, it } from 'vitest'
import { checkIceBreakers, checkInteractiveSend, characterCount, type InteractiveSendInput } from '../../../shared/interactive-rules.ts'

const text = (overrides: Partial<InteractiveSendInput> = {}): InteractiveSendInput => ({ platform: 'instagram', body: 'Pick one', hasMedia: false, ...overrides })
const chips = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Option ${i + 1}`, payload: `OPT_${i + 1}` }))
const errorsOf = (input: InteractiveSendInput) => {
  const check = checkInteractiveSend(input)
  return check.ok ? [] : check.errors
}

describe('interactive send rules', () => {
  it('accept a plain send with nothing interactive, and echo null for every part', () => {
    expect(checkInteractiveSend(text())).toEqual({ ok: true, value: { quickReplies: null, buttons: null, card: null } })
    expect(checkInteractiveSend(text({ quickReplies: [], buttons: null }))).toEqual({ ok: true, value: { quickReplies: null, buttons: null, card: null } })
  })

  it('accept 13 quick replies and fill in content_type; refuse 14', () => {
    const check = checkInteractiveSend(text({ quickReplies: chips(13) }))
    expect(check.ok && check.value.quickReplies?.[12]).toEqual({ content_type: 'text', title: 'Option 13', payload: 'OPT_13' })
    expect(errorsOf(text({ quickReplies: chips(14) }))).toEqual(['quick_replies can have at most 13 items; this message has 14.'])
  })

  it('name the field and index of each bad quick reply', () => {
    const errors = errorsOf(
      text({
        quickReplies: [
          { title: 'x'.repeat(21), payload: 'A' },
          { title: 'Ok', payload: '' },
          { content_type: 'user_email', title: 'Mail', payload: 'M' },
          { title: 'Ok', payload: 'p'.repeat(1001) }
        ]
      })
    )
    expect(errors).toEqual([
      'quick_replies[0].title must be at most 20 characters (it has 21).',
      "quick_replies[1].payload can't be blank.",
      'quick_replies[2].content_type must be "text".',
      'quick_replies[3].payload must be at most 1000 characters (it has 1001).'
    ])
    expect(errorsOf(text({ quickReplies: [{ title: 'Ok', payload: 'A' }, 'chip'] }))).toEqual(['quick_replies[1] must be an object.'])
    expect(errorsOf(text({ quickReplies: 'chips' }))).toEqual(['quick_replies must be a list.'])
  })

  it('count characters as a person does: 20 emoji fit in a title', () => {
    expect(characterCount('😀'.repeat(20))).toBe(20)
    expect(checkInteractiveSend(text({ quickReplies: [{ title: '😀'.repeat(20), payload: 'E' }] })).ok).toBe(true)
  })

  it('accept up to 3 buttons of both kinds; refuse a 4th, an http url, a postback without payload and an unknown type', () => {
    const buttons = [
      { type: 'web_url', title: 'Shop', url: 'https://shop.example/' },
      { type: 'postback', title: 'Talk to us', payload: 'HUMAN' }
    ]
    const check = checkInteractiveSend(text({ buttons }))
    expect(check.ok && check.value.buttons).toEqual([
      { type: 'web_url', title: 'Shop', url: 'https://shop.example/', payload: null },
      { type: 'postback', title: 'Talk to us', url: null, payload: 'HUMAN' }
    ])
    expect(errorsOf(text({ buttons: [...buttons, ...buttons] }))).toEqual(['buttons can have at most 3 items; this message has 4.'])
    expect(
      errorsOf(
        text({
          buttons: [
            { type: 'web_url', title: 'Shop', url: 'https://shop.example/' },
            { type: 'web_url', title: 'Old shop', url: 'http://shop.example/' },
            { type: 'postback', title: 'Call' },
          ]
        })
      )
    ).toEqual(['buttons[1].url must be an https:// URL', "buttons[2].payload can't be blank."])
    expect(errorsOf(text({ buttons: [{ type: 'phone_number', title: 'Call', payload: '+1' }] }))).toEqual(['buttons[0].type must be "web_url" or "postback".'])
  })

  it('cap the body at 80 characters with buttons, and never put buttons with media', () => {
    const buttons = [{ type: 'postback', title: 'Yes', payload: 'Y' }]
    expect(errorsOf(text({ body: 'b'.repeat(80), buttons }))).toEqual([])
    expect(errorsOf(text({ body: 'b'.repeat(81), buttons }))).toEqual(['body must be at most 80 characters when buttons are present (it has 81).'])
    expect(errorsOf(text({ body: null, hasMedia: true, buttons }))).toEqual(["buttons can't be combined with media; send the file as its own message."])
  })

  it('take a card only with buttons, with https URLs and a short subtitle', () => {
    const buttons = [{ type: 'web_url', title: 'Shop', url: 'https://shop.example/' }]
    const card = { subtitle: 'Linen shirts', image_url: 'https://shop.example/a.jpg', default_action: { type: 'web_url', url: 'https://shop.example/' } }
    const check = checkInteractiveSend(text({ buttons, card }))
    expect(check.ok && check.value.card).toEqual(card)
    expect(errorsOf(text({ card }))).toEqual(['card requires buttons.'])
    expect(
      errorsOf(text({ buttons, card: { subtitle: 's'.repeat(81), image_url: 'ftp://x/a.jpg', default_action: { type: 'postback', url: 'http://x' } } }))
    ).toEqual([
      'card.subtitle must be at most 80 characters (it has 81).',
      'card.image_url must be an https:// URL',
      'card.default_action.type must be "web_url".',
      'card.default_action.url must be an https:// URL'
    ])
  })

  it('on Instagram, quick replies only on a plain-text message; Messenger takes them with media or buttons', () => {
    const quickReplies = chips(2)
    const buttons = [{ type: 'postback', title: 'Yes', payload: 'Y' }]
    const only = ['quick_replies can be sent only on a plain-text message on Instagram (not with media or buttons).']
    expect(errorsOf(text({ quickReplies, buttons }))).toEqual(only)
    expect(errorsOf(text({ body: null, hasMedia: true, quickReplies }))).toEqual(only)
    expect(errorsOf(text({ platform: 'facebook', quickReplies, buttons }))).toEqual([])
    expect(errorsOf(text({ platform: 'facebook', body: null, hasMedia: true, quickReplies }))).toEqual([])
  })

  it('refuse every interactive part on platforms without them, naming the platform', () => {
    expect(errorsOf(text({ platform: 'telegram', quickReplies: chips(1), card: {} }))).toEqual([
      'quick_replies, card can be sent on Instagram and Facebook Messenger only; this chat is on Telegram.'
    ])
  })
})

describe('ice breaker rules', () => {
  const breaker = (question: string, payload = 'P') => ({ question, payload })

  it('accept 1 to 4 questions of at most 80 characters', () => {
    expect(checkIceBreakers([breaker('Do you ship abroad?', 'SHIP')])).toEqual({ ok: true, value: [{ question: 'Do you ship abroad?', payload: 'SHIP' }] })
    expect(checkIceBreakers([1, 2, 3, 4].map((n) => breaker('q'.repeat(80), `P${n}`))).ok).toBe(true)
  })

  it('refuse none, five, and long or blank questions, naming the index', () => {
    expect(checkIceBreakers([])).toEqual({ ok: false, errors: ['ice_breakers must be a list of 1 to 4 items (this request has 0).'] })
    expect(checkIceBreakers([1, 2, 3, 4, 5].map((n) => breaker(`Q${n}`)))).toEqual({
      ok: false,
      errors: ['ice_breakers must be a list of 1 to 4 items (this request has 5).']
    })
    expect(checkIceBreakers('faq')).toEqual({ ok: false, errors: ['ice_breakers must be a list of 1 to 4 items.'] })
    expect(checkIceBreakers([breaker('q'.repeat(81)), breaker(' '), breaker('Ok', '')])).toEqual({
      ok: false,
      errors: [
        'ice_breakers[0].question must be at most 80 characters (it has 81).',
        "ice_breakers[1].question can't be blank.",
        "ice_breakers[2].payload can't be blank."
      ]
    })
  })
})
