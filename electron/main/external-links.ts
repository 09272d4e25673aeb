// Links in messages open in the system browser, and only links of harmless schemes: a message can't
// make the app run a local file or an arbitrary protocol handler.
const OPENABLE_SCHEMES = new Set(['https:', 'http:', 'mailto:'])

/** The URL to hand to the system browser, or null when it must not be opened. */
export function openableExternalUrl(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (!OPENABLE_SCHEMES.has(url.protocol)) return null
  if (url.username || url.password) return null // "https://bank.com@evil.example" tricks
  return url.toString()
}
