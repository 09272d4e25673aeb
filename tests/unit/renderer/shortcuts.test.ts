import { describe, expect, it } from 'vitest'
import { loadShortcuts, type KeyPress } from './renderer-modules.ts'

const { IS_MAC, MOD_LABEL, shortcutOf } = await loadShortcuts()

function press(key: string, modifiers: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers }
}

/** Cmd on macOS, Ctrl elsewhere: whichever this platform uses. */
const mod = IS_MAC ? { metaKey: true } : { ctrlKey: true }
const otherMod = IS_MAC ? { ctrlKey: true } : { metaKey: true }

describe('shortcutOf', () => {
  it('labels the modifier for this platform', () => {
    expect(MOD_LABEL).toBe(IS_MAC ? '⌘' : 'Ctrl')
  })

  it('matches the app shortcuts', () => {
    expect(shortcutOf(press('k', mod))).toBe('open-switcher')
    expect(shortcutOf(press('f', mod))).toBe('focus-search')
    expect(shortcutOf(press('U', { ...mod, shiftKey: true }))).toBe('mark-unread')
    expect(shortcutOf(press('ArrowUp', { altKey: true }))).toBe('previous-chat')
    expect(shortcutOf(press('ArrowDown', { altKey: true }))).toBe('next-chat')
  })

  it('R replies to a message and L loves one, single keys without modifiers', () => {
    expect(shortcutOf(press('r'))).toBe('reply')
    expect(shortcutOf(press('l'))).toBe('love')
    expect(shortcutOf(press('r', mod))).toBeNull() // the browser's reload stays the browser's
    expect(shortcutOf(press('L', { shiftKey: true }))).toBeNull()
    expect(shortcutOf(press('l', { altKey: true }))).toBeNull()
    expect(shortcutOf(press('q'))).toBe('go-to-quoted')
    expect(shortcutOf(press('q', { altKey: true }))).toBe('interactive-parts')
    expect(shortcutOf({ ...press('œ', { altKey: true }), code: 'KeyQ' } as KeyPress)).toBe('interactive-parts') // macOS Option
  })

  it('ignores caps lock', () => {
    expect(shortcutOf(press('K', mod))).toBe('open-switcher')
    expect(shortcutOf(press('u', { ...mod, shiftKey: true }))).toBe('mark-unread')
  })

  it('leaves typing and other combinations alone', () => {
    const ignored: KeyPress[] = [
      press('k'),
      press('k', otherMod),
      press('k', { ...mod, ...otherMod }),
      press('k', { ...mod, shiftKey: true }),
      press('k', { ...mod, altKey: true }),
      press('u', mod),
      press('f', { ...mod, shiftKey: true }),
      press('ArrowUp'),
      press('ArrowUp', { altKey: true, shiftKey: true }),
      press('ArrowDown', { altKey: true, ...mod }),
      press('ArrowLeft', { altKey: true })
    ]
    for (const event of ignored) expect(shortcutOf(event), JSON.stringify(event)).toBeNull()
  })
})
