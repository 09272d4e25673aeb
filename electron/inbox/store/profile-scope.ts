// Whose rows a query reads. The unified inbox reads the session's profiles (a removed account's cache stays
// on disk but out of sight); the profile filter reads one; undefined or null reads everything cached.
export type ProfileScope = string | readonly string[] | null | undefined

/**
 * The SQL condition for `column` under `scope` (null: no condition), its parameter added to `params`. The
 * condition's text depends only on the kind of scope, so a statement cache can key on it.
 */
export function profileScopeCondition(column: string, scope: ProfileScope, params: Record<string, unknown>): string | null {
  if (scope === null || scope === undefined) return null
  if (typeof scope === 'string') {
    params.profile_id = scope
    return `${column} = @profile_id`
  }
  params.profile_ids = JSON.stringify(scope)
  return `${column} IN (SELECT value FROM json_each(@profile_ids))`
}
