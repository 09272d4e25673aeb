import { describe, expect, it } from 'vitest'
import { loadDropZone, type DragLike, type DropZoneOptions } from './renderer-modules.ts'

const { dropZone } = await loadDropZone()

type DragType = 'dragenter' | 'dragover' | 'dragleave' | 'drop'

const photo = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'photo.png', { type: 'image/png' })

/** A drag event as the browser sends it: files (or only text) in its data transfer. */
function drag(type: DragType, carries: 'files' | 'text', files: File[] = []): DragLike {
  const event = new Event(type, { cancelable: true }) as DragLike
  event.dataTransfer = { types: carries === 'files' ? ['Files'] : ['text/plain'], files }
  return event
}

/** A drop zone on a real event target, recording what it reports. */
function zone(enabled?: boolean) {
  const node = new EventTarget()
  const calls: (boolean | File[])[] = []
  const options: DropZoneOptions = { ondrop: (files) => calls.push(files), onactive: (active) => calls.push(active), enabled }
  const action = dropZone(node, options)
  const fire = (event: DragLike) => {
    node.dispatchEvent(event)
    return event
  }
  return { node, calls, action, fire, options }
}

describe('dropZone', () => {
  it('lights up once while files are dragged over it, across its children', () => {
    const z = zone()
    expect(z.fire(drag('dragenter', 'files')).defaultPrevented).toBe(true)
    // Entering a child fires dragenter again, then dragleave for the parent.
    z.fire(drag('dragenter', 'files'))
    z.fire(drag('dragleave', 'files'))
    expect(z.calls).toEqual([true])
    z.fire(drag('dragleave', 'files'))
    expect(z.calls).toEqual([true, false])
    // A stray dragleave does not turn it off twice.
    z.fire(drag('dragleave', 'files'))
    expect(z.calls).toEqual([true, false])
  })

  it('accepts a copy while hovering', () => {
    const z = zone()
    const over = z.fire(drag('dragover', 'files'))
    expect(over.defaultPrevented).toBe(true)
    expect(over.dataTransfer?.dropEffect).toBe('copy')
  })

  it('hands over the dropped files and resets, whatever the depth was', () => {
    const z = zone()
    z.fire(drag('dragenter', 'files'))
    z.fire(drag('dragenter', 'files'))
    expect(z.fire(drag('drop', 'files', [photo])).defaultPrevented).toBe(true)
    expect(z.calls).toEqual([true, false, [photo]])
    z.fire(drag('dragleave', 'files'))
    z.fire(drag('dragenter', 'files'))
    expect(z.calls).toEqual([true, false, [photo], true])
  })

  it('ignores dragged text, and a drop without files', () => {
    const z = zone()
    expect(z.fire(drag('dragenter', 'text')).defaultPrevented).toBe(false)
    expect(z.fire(drag('dragover', 'text')).defaultPrevented).toBe(false)
    expect(z.calls).toEqual([])
    z.fire(drag('drop', 'text'))
    z.fire(drag('drop', 'files', []))
    expect(z.calls.filter((call) => Array.isArray(call))).toEqual([])
  })

  it('does nothing while disabled, and follows updated options', () => {
    const z = zone(false)
    expect(z.fire(drag('dragenter', 'files')).defaultPrevented).toBe(false)
    expect(z.fire(drag('drop', 'files', [photo])).defaultPrevented).toBe(false)
    expect(z.calls).toEqual([])
    z.action.update({ ...z.options, enabled: true })
    z.fire(drag('dragenter', 'files'))
    z.fire(drag('drop', 'files', [photo]))
    expect(z.calls).toEqual([true, false, [photo]])
  })

  it('stops listening when destroyed', () => {
    const z = zone()
    z.action.destroy()
    z.fire(drag('dragenter', 'files'))
    z.fire(drag('drop', 'files', [photo]))
    expect(z.calls).toEqual([])
  })
})
