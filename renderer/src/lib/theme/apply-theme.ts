// Light, dark, or the system's choice: the document carries the resolved theme as data-theme, and
// the CSS variables in app.css follow it.
import type { Theme } from '../../../../shared/inbox-api.ts'

const DARK_QUERY = '(prefers-color-scheme: dark)'

export function resolvedTheme(theme: Theme): 'light' | 'dark' {
  if (theme !== 'system') return theme
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light'
}

/** Applies the theme now and follows the system while it is 'system'; returns a stop function. */
export function followTheme(theme: Theme): () => void {
  const root = document.documentElement
  const apply = () => {
    const resolved = resolvedTheme(theme)
    root.dataset.theme = resolved
    root.style.colorScheme = resolved
  }
  apply()
  if (theme !== 'system') return () => {}
  const query = window.matchMedia(DARK_QUERY)
  query.addEventListener('change', apply)
  return () => query.removeEventListener('change', apply)
}
