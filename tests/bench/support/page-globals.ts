// The little of the DOM that the benchmarks' in-page probes use, typed here: the bench sources compile
// against Node's types (tsconfig.node.json), and pulling the whole DOM lib into that program would blur
// which globals exist where. Inside page.evaluate / addInitScript: `const g = globalThis as unknown as PageGlobals`.

export interface PageElement {
  getAttribute(name: string): string | null
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>
  click(): void
  readonly parentElement: PageElement | null
  readonly textContent: string | null
}

export interface PageGlobals {
  document: PageElement & { readonly body: PageElement; readonly visibilityState: string }
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void; disconnect(): void }
  requestAnimationFrame(callback: () => void): number
  /** Stamps the probes leave for the bench to read. */
  [stamp: `__${string}`]: unknown
}
