// The fixed palette labels are coloured from: a creator picks a name, never a hex value, so every chip
// stays readable in both themes (text on its background at least 4.5:1, WCAG AA; checked by a unit test).

export interface LabelSwatch {
  /** The chip's background and text colour. */
  background: string
  text: string
}

export interface LabelColor {
  key: string
  /** How the colour is named to the creator (a radio button's accessible name). */
  name: string
  light: LabelSwatch
  dark: LabelSwatch
}

export const LABEL_PALETTE = [
  { key: 'red', name: 'Red', light: { background: '#fde2e1', text: '#8f1d14' }, dark: { background: '#4a1c1a', text: '#ffb4ab' } },
  { key: 'orange', name: 'Orange', light: { background: '#fee4cc', text: '#853800' }, dark: { background: '#4a2710', text: '#ffc08a' } },
  { key: 'yellow', name: 'Yellow', light: { background: '#fdf0c2', text: '#654900' }, dark: { background: '#3f3410', text: '#f5d77a' } },
  { key: 'green', name: 'Green', light: { background: '#dcf2e1', text: '#17603a' }, dark: { background: '#173a24', text: '#94e0ae' } },
  { key: 'teal', name: 'Teal', light: { background: '#d5f1ef', text: '#0d5a56' }, dark: { background: '#10393a', text: '#8adbd5' } },
  { key: 'blue', name: 'Blue', light: { background: '#dde8fd', text: '#1d4aa0' }, dark: { background: '#1a2d52', text: '#a9c6ff' } },
  { key: 'purple', name: 'Purple', light: { background: '#ece2fb', text: '#5b2d9e' }, dark: { background: '#33224f', text: '#d1b8ff' } },
  { key: 'pink', name: 'Pink', light: { background: '#fbe0ee', text: '#8a1d57' }, dark: { background: '#4a1a35', text: '#ffb0d6' } },
  { key: 'gray', name: 'Gray', light: { background: '#e8eaee', text: '#3d4450' }, dark: { background: '#2c3038', text: '#c9ced8' } }
] as const satisfies readonly LabelColor[]

export type LabelColorKey = (typeof LABEL_PALETTE)[number]['key']

export const LABEL_COLOR_KEYS = LABEL_PALETTE.map((c) => c.key) as [LabelColorKey, ...LabelColorKey[]]

export function labelColor(key: string): LabelColor {
  return LABEL_PALETTE.find((c) => c.key === key) ?? LABEL_PALETTE[LABEL_PALETTE.length - 1]
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x)
  return (lighter + 0.05) / (darker + 0.05)
}
