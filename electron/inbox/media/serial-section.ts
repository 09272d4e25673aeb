// Runs async sections one at a time. The cache's disk bookkeeping (commit a file + record it + evict,
// sweep, repair a vanished file) reads the folder and the index in several awaited steps; run side by
// side, a sweep could delete a file another download committed a moment before its index row was written.
export class SerialSection {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section)
    this.tail = result.catch(() => undefined)
    return result
  }
}
