// Where dmdesk looks for updates, if anywhere. Updates are off unless a feed is configured: either baked in
// at build time (DMDESK_UPDATE_URL set when running `npm run dist*` makes electron-builder write
// resources/app-update.yml) or given at run time in the environment (for testing a staging feed).
// Free of `electron` imports: the packaging config and the tests use it under plain Node.

export const UPDATE_URL_VARIABLE = 'DMDESK_UPDATE_URL'
export const UPDATES_SWITCH_VARIABLE = 'DMDESK_UPDATES'

export type UpdateSource =
  | { kind: 'off'; reason: string }
  /** A generic electron-builder feed: `<url>/latest.yml`, `latest-mac.yml`, `latest-linux.yml` next to the installers. */
  | { kind: 'feed'; url: string; origin: 'environment' }
  /** The feed electron-builder recorded in resources/app-update.yml at build time. */
  | { kind: 'baked'; origin: 'build' }

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/**
 * Checks a feed URL: https only, so nobody on the network can offer a fake update; plain http is
 * accepted for loopback addresses, where a local test feed runs. Returns the URL with a trailing slash
 * (electron-updater resolves the feed files relative to it), or a message saying what is wrong.
 */
export function parseFeedUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return { ok: false, message: `${UPDATE_URL_VARIABLE} is not a web address: "${raw}".` }
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  if (!secure) return { ok: false, message: `${UPDATE_URL_VARIABLE} must start with https:// (plain http is only allowed on this computer), not "${raw}".` }
  if (url.username || url.password) return { ok: false, message: `${UPDATE_URL_VARIABLE} must not contain a user name or password.` }
  if (url.search || url.hash) return { ok: false, message: `${UPDATE_URL_VARIABLE} must be the folder that holds the update files, without ? or #.` }
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return { ok: true, url: url.toString() }
}

export interface UpdateSourceInputs {
  env: NodeJS.ProcessEnv
  /** app.isPackaged: a development run has no installer to update. */
  isPackaged: boolean
  /** Whether resources/app-update.yml exists (electron-builder writes it only when a publish feed was configured). */
  hasBakedFeed: boolean
}

export function resolveUpdateSource({ env, isPackaged, hasBakedFeed }: UpdateSourceInputs): UpdateSource {
  if (env[UPDATES_SWITCH_VARIABLE]?.trim().toLowerCase() === 'off') return { kind: 'off', reason: `${UPDATES_SWITCH_VARIABLE}=off` }
  if (!isPackaged) return { kind: 'off', reason: 'development build (not installed from a package)' }
  const fromEnvironment = env[UPDATE_URL_VARIABLE]?.trim()
  if (fromEnvironment) {
    const parsed = parseFeedUrl(fromEnvironment)
    return parsed.ok ? { kind: 'feed', url: parsed.url, origin: 'environment' } : { kind: 'off', reason: parsed.message }
  }
  if (hasBakedFeed) return { kind: 'baked', origin: 'build' }
  return { kind: 'off', reason: 'no update feed configured' }
}
