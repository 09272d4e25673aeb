// Where the CLI's admin token comes from, in order: --admin-token, the RELAY_ADMIN_TOKEN environment
// variable (preferred: a command-line argument is visible to every user in `ps`), the file `admin-token`
// in the data directory, or a new random token — saved to that file (mode 0600), so restarts keep it and
// a paired desktop's admin token stays valid.
//
// The note printed at start says where the token is, never the token itself: stderr ends up in journald
// and container logs, which far more people (and log shippers) can read than a 0600 file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateToken } from './auth.ts'

export const ADMIN_TOKEN_FILE = 'admin-token'

export type ResolvedAdminToken =
  | { token: string; note: string }
  /** Nothing given and no data directory: startRelay generates the token in its temporary directory; save it there with `saveAdminToken`. */
  | { token: undefined; note: null }

export function resolveAdminToken(flag: string | undefined, env: string | undefined, dataDir: string | undefined): ResolvedAdminToken {
  if (flag) return { token: flag, note: 'Admin token: the one given with --admin-token.' }
  if (env) return { token: env, note: 'Admin token: the one in RELAY_ADMIN_TOKEN.' }
  if (!dataDir) return { token: undefined, note: null }
  const file = join(dataDir, ADMIN_TOKEN_FILE)
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim()
    if (saved) return { token: saved, note: `Admin token: read from ${file}.` }
  }
  const token = generateToken('admin')
  return { token, note: saveAdminToken(dataDir, token) }
}

/** Writes a generated token to `dataDir/admin-token` (mode 0600); returns the note that points at the file. */
export function saveAdminToken(dataDir: string, token: string, lifetime = ''): string {
  const file = join(dataDir, ADMIN_TOKEN_FILE)
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return `Admin token: generated and saved to ${file}${lifetime} (readable by this user only); read it from there.`
}
