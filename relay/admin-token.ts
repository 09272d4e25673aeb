// Where the CLI's admin token comes from, in order: --admin-token, the RELAY_ADMIN_TOKEN environment
// variable (preferred: a command-line argument is visible to every user in `ps`), the file `admin-token`
// in the data directory, or a new random token — saved to that file (mode 0600) when there is a data
// directory, so restarts keep it and a paired desktop's admin token stays valid.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateToken } from './auth.ts'

export const ADMIN_TOKEN_FILE = 'admin-token'

export interface ResolvedAdminToken {
  token: string
  /** Said on stderr at start, so the operator knows where to find or change it. */
  note: string
}

export function resolveAdminToken(flag: string | undefined, env: string | undefined, dataDir: string | undefined): ResolvedAdminToken {
  if (flag) return { token: flag, note: 'Admin token: the one given with --admin-token.' }
  if (env) return { token: env, note: 'Admin token: the one in RELAY_ADMIN_TOKEN.' }
  if (dataDir) {
    const file = join(dataDir, ADMIN_TOKEN_FILE)
    if (existsSync(file)) {
      const saved = readFileSync(file, 'utf8').trim()
      if (saved) return { token: saved, note: `Admin token: read from ${file}.` }
    }
    const token = generateToken('admin')
    writeFileSync(file, `${token}\n`, { mode: 0o600 })
    return { token, note: `Admin token (generated and saved to ${file}; keep it secret): ${token}` }
  }
  const token = generateToken('admin')
  return { token, note: `Admin token (generated for this run only, as there is no --data directory): ${token}` }
}
