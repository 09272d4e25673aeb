// Axe, at every impact level: the new screens and dialogs must have no violations at all.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect } from './fixtures.ts'

/** Checks the page (or only `include`, a CSS selector) and expects no violation of any impact. */
export async function expectAxeClean(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page })
  if (include) builder.include(include)
  const results = await builder.analyze()
  const violations = results.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  expect(violations).toEqual([])
}
