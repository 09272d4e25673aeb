// The pure parts of triage and saved replies: the label palette's contrast, snooze presets, variables.
import { describe, expect, it } from 'vitest'
import { contrastRatio, LABEL_PALETTE, labelColor } from '../../../shared/label-palette.ts'
import { expandSavedReply, variablesIn } from '../../../shared/saved-reply-variables.ts'
import { snoozePresets } from '../../../shared/snooze-presets.ts'

describe('the label palette', () => {
  it('keeps every chip readable in both themes (WCAG AA, 4.5:1)', () => {
    for (const color of LABEL_PALETTE) {
      for (const theme of ['light', 'dark'] as const) {
        const swatch = color[theme]
        expect(contrastRatio(swatch.text, swatch.background), `${color.key} in ${theme}`).toBeGreaterThanOrEqual(4.5)
      }
    }
  })

  it('computes WCAG contrast (black on white is 21:1) and falls back to gray for an unknown key', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#777777')).toBe(1)
    expect(labelColor('nope').key).toBe('gray')
  })
})

describe('snooze presets, in local time', () => {
  const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime()

  it('later today is three hours on, on the hour; tomorrow and next week are at 8:00', () => {
    // Wednesday 3 June 2026, 10:20.
    const presets = snoozePresets(local(2026, 6, 3, 10, 20))
    expect(presets).toEqual([
      { key: 'later_today', label: 'Later today', at: local(2026, 6, 3, 14) },
      { key: 'tomorrow_morning', label: 'Tomorrow morning', at: local(2026, 6, 4, 8) },
      { key: 'next_week', label: 'Next week', at: local(2026, 6, 8, 8) }
    ])
  })

  it('offers no "later today" late in the evening, and next week from a Monday is the Monday after', () => {
    const mondayNight = local(2026, 6, 1, 22, 0)
    expect(snoozePresets(mondayNight).map((p) => p.key)).toEqual(['tomorrow_morning', 'next_week'])
    expect(snoozePresets(mondayNight)[1].at).toBe(local(2026, 6, 8, 8))
    // Exactly on the hour stays on it.
    expect(snoozePresets(local(2026, 6, 3, 9, 0))[0].at).toBe(local(2026, 6, 3, 12))
  })
})

describe('saved reply variables', () => {
  it('fills the first name and the username from the chat', () => {
    expect(expandSavedReply('Hi {first_name} (@{username})!', { name: '  Jane  Doe', username: 'jane_doe' })).toEqual({ text: 'Hi Jane (@jane_doe)!', fellBack: [] })
  })

  it('uses "there" for what the chat does not know, and says which', () => {
    expect(expandSavedReply('Hi {first_name}! {first_name}?', { name: null, username: 'jd' })).toEqual({ text: 'Hi there! there?', fellBack: ['first_name'] })
    expect(expandSavedReply('{username}', { name: 'Jo', username: '' })).toEqual({ text: 'there', fellBack: ['username'] })
  })

  it('leaves other braces alone and lists the variables used', () => {
    expect(expandSavedReply('Use code {SUMMER} {first_name}', { name: 'Al', username: null }).text).toBe('Use code {SUMMER} Al')
    expect(variablesIn('{username} {first_name} {username} {other}')).toEqual(['username', 'first_name'])
  })
})
