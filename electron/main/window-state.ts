// The window's size and place, remembered in the cache database between runs. What comes back from the
// database is data, not options: a crafted `window` row in inbox.db could otherwise turn the sandbox and
// context isolation off or set its own preload. So only four whole numbers are read, checked against the
// window's minimum size and against the screens attached now, and copied into a fresh object.
import type { Rectangle } from 'electron'
import { MIN_WINDOW_HEIGHT, MIN_WINDOW_WIDTH } from './window-options.ts'

const WINDOW_SETTING = 'window'
/** How much of the window's top edge (its title bar) must lie on a screen for the saved place to be used. */
const VISIBLE_TITLE_BAR_PX = 80

export interface WindowStateStore {
  /** The size and place to open with: only checked numbers, `{}` when nothing usable was saved. */
  load(workAreas: readonly Rectangle[]): Partial<Rectangle>
  save(bounds: Rectangle): void
}

interface SettingsLike {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

export function windowStateIn(settings: SettingsLike): WindowStateStore {
  return {
    load: (workAreas) => restorableBounds(settings.get(WINDOW_SETTING), workAreas),
    save: (bounds) => settings.set(WINDOW_SETTING, { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height })
  }
}

function wholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

function titleBarOn(area: Rectangle, bounds: Rectangle): boolean {
  const overlap = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x)
  return overlap >= VISIBLE_TITLE_BAR_PX && bounds.y >= area.y && bounds.y <= area.y + area.height - VISIBLE_TITLE_BAR_PX
}

/**
 * The saved size when it is whole numbers no smaller than the window allows and no larger than a screen
 * attached now; the saved place too when the title bar would be on one of those screens (else the OS places
 * the window). Anything else in the saved value is ignored.
 */
export function restorableBounds(saved: unknown, workAreas: readonly Rectangle[]): Partial<Rectangle> {
  if (typeof saved !== 'object' || saved === null) return {}
  const { x, y, width, height } = saved as Record<string, unknown>
  if (!wholeNumber(width) || !wholeNumber(height)) return {}
  const fitsAScreen = workAreas.some((area) => width <= area.width && height <= area.height)
  if (width < MIN_WINDOW_WIDTH || height < MIN_WINDOW_HEIGHT || !fitsAScreen) return {}
  if (!wholeNumber(x) || !wholeNumber(y)) return { width, height }
  const bounds = { x, y, width, height }
  return workAreas.some((area) => titleBarOn(area, bounds)) ? bounds : { width, height }
}
