// Investigation CLI: what grew between two V8 heap snapshots (the day bench writes them with
// DAY_SNAPSHOT_DIR). Sums self size and count per node type and constructor name, and prints the rows that
// grew most: `node tests/bench/support/heap-summary.ts <before.heapsnapshot> <after.heapsnapshot> [rows]`.
import { readFileSync } from 'node:fs'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

interface Row {
  count: number
  bytes: number
}

/** Self size and count per "type | name"; names lose their @ids (closures' scopes) so snapshots compare. */
export function summarise(snapshot: Snapshot): { rows: Map<string, Row>; bytes: number } {
  const fields = snapshot.snapshot.meta.node_fields
  const types = snapshot.snapshot.meta.node_types[0]
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field))
  const rows = new Map<string, Row>()
  let bytes = 0
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]]
    const name = type.includes('string') ? '(string)' : type === 'code' ? '(code)' : snapshot.strings[snapshot.nodes[i + nameAt]].replace(/@\d+/g, '@').slice(0, 60)
    const key = `${type} | ${name}`
    const row = rows.get(key) ?? { count: 0, bytes: 0 }
    row.count++
    row.bytes += snapshot.nodes[i + sizeAt]
    bytes += snapshot.nodes[i + sizeAt]
    rows.set(key, row)
  }
  return { rows, bytes }
}

if (import.meta.main) {
  const [beforePath, afterPath, rowsArg] = process.argv.slice(2)
  if (!beforePath || !afterPath) throw new Error('usage: heap-summary.ts <before.heapsnapshot> <after.heapsnapshot> [rows]')
  const read = (path: string) => summarise(JSON.parse(readFileSync(path, 'utf8')) as Snapshot)
  const before = read(beforePath)
  const after = read(afterPath)
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2)
  console.log(`self size of every node: ${mb(before.bytes)} -> ${mb(after.bytes)} MB`)
  const none: Row = { count: 0, bytes: 0 }
  const grown = [...new Set([...before.rows.keys(), ...after.rows.keys()])]
    .map((key) => ({ key, was: before.rows.get(key) ?? none, now: after.rows.get(key) ?? none }))
    .sort((a, b) => b.now.bytes - b.was.bytes - (a.now.bytes - a.was.bytes))
  for (const { key, was, now } of grown.slice(0, Number(rowsArg ?? 30))) {
    console.log(`${((now.bytes - was.bytes) / 1024).toFixed(1).padStart(9)} KB ${String(now.count - was.count).padStart(7)} (now ${now.count})  ${key}`)
  }
}
