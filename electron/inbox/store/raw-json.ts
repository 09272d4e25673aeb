// Postproxy adds fields over time; the cache must keep them even before this code knows them.
// Known fields come from the current version as a whole (so a field it dropped is really gone);
// unknown keys from an older version survive unless the current version has them too.

export function mergeRawJson(
  existingRaw: string,
  nextRaw: string,
  nextIsCurrent: boolean,
  knownKeys: ReadonlySet<string>
): string {
  if (existingRaw === nextRaw) return existingRaw
  const existing = JSON.parse(existingRaw) as Record<string, unknown>
  const next = JSON.parse(nextRaw) as Record<string, unknown>
  const current = nextIsCurrent ? next : existing
  const older = nextIsCurrent ? existing : next
  const merged: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(older)) {
    if (!(key in merged) && !knownKeys.has(key)) merged[key] = value
  }
  return JSON.stringify(merged)
}
