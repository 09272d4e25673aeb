import { describe, expect, it } from 'vitest'
import { loadShortcuts, type KeyCombo, type KeyPress, type ShortcutId } from './renderer-modules.ts'

const { IS_MAC, MOD_LABEL, SHORTCUTS, comboKeys, comboMatches, shortcutHint, shortcutOf } = await loadShortcuts()

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
    const expected: [KeyPress, ShortcutId][] = [
      [press('k', mod), 'open-switcher'],
      [press('f', mod), 'focus-search'],
      [press('U', { ...mod, shiftKey: true }), 'mark-unread'],
      [press('ArrowUp', { altKey: true }), 'previous-chat'],
      [press('ArrowDown', { altKey: true }), 'next-chat'],
      [press('ArrowUp', { altKey: true, shiftKey: true }), 'previous-unread'],
      [press('ArrowDown', { altKey: true, shiftKey: true }), 'next-unread'],
      [press('e'), 'done'],
      [press('h'), 'snooze'],
      [press('p'), 'pin'],
      [press('L', { shiftKey: true }), 'label'],
      [press('l'), 'love'],
      [press('r'), 'reply'],
      [press('x'), 'select'],
      [press('z'), 'undo'],
      [press('1'), 'view-inbox'],
      [press('2'), 'view-snoozed'],
      [press('3'), 'view-done'],
      [press('?', { shiftKey: true }), 'shortcut-sheet'],
      [press('Escape'), 'clear-selection']
    ]
    for (const [event, id] of expected) expect(shortcutOf(event), JSON.stringify(event)).toBe(id)
  })

  it('keeps single keys for typing while focus is in a text field', () => {
    for (const key of ['e', 'h', 'p', 'l', 'r', 'x', 'z', '1', '?']) expect(shortcutOf(press(key), { typing: true })).toBeNull()
    expect(shortcutOf(press('k', mod), { typing: true })).toBe('open-switcher')
    expect(shortcutOf(press('ArrowDown', { altKey: true, shiftKey: true }), { typing: true })).toBe('next-unread')
  })

  it('answers per scope: the list extends the selection, the composer inserts saved replies and sends', () => {
    expect(shortcutOf(press('ArrowDown', { shiftKey: true }), { scope: 'list' })).toBe('extend-selection')
    expect(shortcutOf(press('ArrowDown', { shiftKey: true }))).toBeNull()
    expect(shortcutOf(press('/'), { scope: 'composer', typing: true })).toBe('saved-replies')
    expect(shortcutOf(press('Enter'), { scope: 'composer', typing: true })).toBe('send')
    expect(shortcutOf(press('Enter', { shiftKey: true }), { scope: 'composer', typing: true })).toBeNull()
    expect(shortcutOf(press('/'))).toBeNull()
  })

  it('R replies to a message, L loves one, Q goes to what it quotes; Alt+Q opens the quick replies, typing included', () => {
    expect(shortcutOf(press('r'))).toBe('reply')
    expect(shortcutOf(press('l'))).toBe('love')
    expect(shortcutOf(press('r', mod))).toBeNull() // the browser's reload stays the browser's
    expect(shortcutOf(press('L', { shiftKey: true }))).toBe('label') // Shift+L is labels, not love
    expect(shortcutOf(press('l', { altKey: true }))).toBeNull()
    expect(shortcutOf(press('q'))).toBe('go-to-quoted')
    expect(shortcutOf(press('q'), { typing: true })).toBeNull()
    const composer = { scope: 'composer', typing: true } as const
    expect(shortcutOf(press('q', { altKey: true }), composer)).toBe('interactive-parts')
    expect(shortcutOf({ ...press('œ', { altKey: true }), code: 'KeyQ' }, composer)).toBe('interactive-parts') // macOS Option
    expect(shortcutOf(press('q', { altKey: true }))).toBeNull() // only where there is a message box
  })

  it('ignores caps lock', () => {
    expect(shortcutOf(press('K', mod))).toBe('open-switcher')
    expect(shortcutOf(press('u', { ...mod, shiftKey: true }))).toBe('mark-unread')
    expect(shortcutOf(press('E'))).toBe('done')
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
      press('e', mod),
      press('e', { altKey: true }),
      press('ArrowUp'),
      press('ArrowDown', { altKey: true, ...mod }),
      press('ArrowLeft', { altKey: true })
    ]
    for (const event of ignored) expect(shortcutOf(event), JSON.stringify(event)).toBeNull()
  })
})

describe('the shortcut table', () => {
  /** The press a combination describes (Shift held for a key that implies it, such as "?"). */
  function pressOf(combo: KeyCombo): KeyPress {
    return press(combo.key, { ...(combo.mod ? mod : {}), altKey: Boolean(combo.alt), shiftKey: combo.shift === true || combo.shift === 'any', code: combo.code })
  }

  it('binds no key twice: every listed press means its own shortcut and nothing else, wherever it is pressed', () => {
    // App-wide shortcuts are live in the list and the composer too, so each scope is checked with them.
    const scopes = ['app', 'list', 'composer'] as const
    for (const shortcut of SHORTCUTS) {
      for (const combo of shortcut.combos) {
        const event = pressOf(combo)
        for (const scope of scopes) {
          const meanings = SHORTCUTS.filter((other) => (other.scope === scope || other.scope === 'app') && other.combos.some((c) => comboMatches(c, event)))
          if (shortcut.scope === scope || shortcut.scope === 'app') expect(meanings.map((m) => m.id), `${shortcut.id} in ${scope}`).toEqual([shortcut.id])
          else expect(meanings, `${shortcut.id} in ${scope}`).toEqual([])
        }
      }
    }
  })

  it('lists the interactive half too: R and L act on a message, Q and Alt+Q are in the sheet', () => {
    const listed = new Map(SHORTCUTS.map((s) => [s.id, s]))
    expect(listed.get('reply')).toMatchObject({ group: 'Write', combos: [{ key: 'r' }] })
    expect(listed.get('love')).toMatchObject({ group: 'Write', combos: [{ key: 'l' }] })
    expect(listed.get('go-to-quoted')).toMatchObject({ group: 'Write', combos: [{ key: 'q' }] })
    expect(listed.get('interactive-parts')).toMatchObject({ group: 'Write', scope: 'composer', combos: [{ key: 'q', alt: true }] })
    expect(shortcutHint('interactive-parts')).toBe(`${IS_MAC ? '⌥' : 'Alt'}+Q`)
  })

  it('has one entry per id, each with a description and keys a person can read', () => {
    const ids = SHORTCUTS.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const shortcut of SHORTCUTS) {
      expect(shortcut.description.length).toBeGreaterThan(3)
      expect(shortcut.combos.length).toBeGreaterThan(0)
      // A single key without Mod or Alt would swallow typing.
      if (shortcut.whileTyping && shortcut.scope === 'app') expect(shortcut.combos.every((c) => c.mod || c.alt || c.key === 'Escape')).toBe(true)
    }
    expect(comboKeys({ key: 'ArrowDown', alt: true, shift: true })).toEqual([IS_MAC ? '⌥' : 'Alt', 'Shift', '↓'])
    expect(shortcutHint('mark-unread')).toBe(`${MOD_LABEL}+Shift+U`)
    expect(shortcutHint('done')).toBe('E')
  })
})
