// The data directory holds cached DMs, downloaded media and staged sends: like the relay's, it is this
// user's only (folders 0700, files 0600), whatever the umask. Earlier versions left it readable by every
// local user; the first start after them narrows what they left.
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600
/** Group and other permission bits: none may be set on anything in the data directory. */
const SHARED_BITS = 0o077
/** Entries narrowed at most in one start (a huge media cache is narrowed over several starts). */
const NARROW_LIMIT = 200_000

// Windows has no such mode bits (the profile folder's ACL protects the data): nothing to narrow there.
const POSIX = process.platform !== 'win32'

/** Creates `dir` and its missing parents for this user only, and narrows `dir` if it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  if (POSIX) chmodSync(dir, PRIVATE_DIR_MODE)
}

/**
 * Makes the data directory private. When it was open to others (an install from before), everything in it is
 * narrowed first and the directory itself last, so a start interrupted halfway narrows again next time.
 */
export function preparePrivateDataDir(dataDir: string): void {
  if (POSIX && isSharedDirectory(dataDir)) narrowTree(dataDir)
  ensurePrivateDir(dataDir)
}

function isSharedDirectory(dir: string): boolean {
  try {
    return (statSync(dir).mode & SHARED_BITS) !== 0
  } catch {
    return false // not there yet: created private
  }
}

/** Folders to 0700, files to 0600; symbolic links are not followed. Bounded; unreadable entries are skipped. */
function narrowTree(root: string): void {
  const folders = [root]
  let visited = 0
  while (folders.length > 0 && visited < NARROW_LIMIT) {
    const folder = folders.pop()!
    let names: string[]
    try {
      names = readdirSync(folder)
    } catch {
      continue
    }
    for (const name of names) {
      if (++visited > NARROW_LIMIT) break
      const path = join(folder, name)
      try {
        const info = lstatSync(path)
        if (info.isDirectory()) {
          if (info.mode & SHARED_BITS) chmodSync(path, PRIVATE_DIR_MODE)
          folders.push(path)
        } else if (info.isFile() && info.mode & SHARED_BITS) {
          chmodSync(path, PRIVATE_FILE_MODE)
        }
      } catch {
        // Removed meanwhile, or not ours: nothing to narrow.
      }
    }
  }
}
