// Web mode's check of the frames a page sends (electron/web/call-frame.ts): a call frame passes with its
// fields, anything else is refused (the socket is then closed).
import { describe, expect, it } from 'vitest'
import { parseCallFrame } from '../../../electron/web/call-frame.ts'

describe('a call frame from the page', () => {
  it('passes with its id, name and arguments, unknown fields dropped', () => {
    expect(parseCallFrame('{"type":"call","id":7,"name":"listChats","args":{"limit":5},"extra":true}')).toEqual({ type: 'call', id: 7, name: 'listChats', args: { limit: 5 } })
    expect(parseCallFrame('{"type":"call","id":0,"name":"getSession"}')).toEqual({ type: 'call', id: 0, name: 'getSession' })
  })

  it.each([
    ['not JSON', '{"type":"call"'],
    ['not an object', '[1,2]'],
    ['null', 'null'],
    ['another type', '{"type":"result","id":1,"name":"x"}'],
    ['an id that is not a number', '{"type":"call","id":"1","name":"x"}'],
    ['a negative id', '{"type":"call","id":-1,"name":"x"}'],
    ['a fractional id', '{"type":"call","id":1.5,"name":"x"}'],
    ['no name', '{"type":"call","id":1}'],
    ['a name too long', JSON.stringify({ type: 'call', id: 1, name: 'x'.repeat(101) })]
  ])('is refused when it is %s', (_what, text) => {
    expect(parseCallFrame(text)).toBeNull()
  })
})
