/**
 * Accessibility checks with axe-core against WCAG 2.2 AA. `expectAccessible`
 * fails (softly, so one test can sweep several states) when axe finds any
 * violation, naming the rule, its impact and the first offending elements.
 * With A11Y_REPORT=<file>, every check also appends one JSON line
 * ({state, violations, nodes, rules}) for before/after tables.
 */
import { appendFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeSummary {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now; returns one summary per violated rule. */
export async function axeViolations(page: Page, state: string): Promise<AxeSummary[]> {
  // Let transitions settle so colours are read at rest.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 250))));
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? '',
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
  const report = process.env.A11Y_REPORT;
  if (report) {
    const nodes = result.violations.reduce((n, v) => n + v.nodes.length, 0);
    const rules = result.violations.map((v) => `${v.id}×${v.nodes.length}`);
    const where = summary.flatMap((v) => v.targets.map((t) => `${v.rule}: ${t}`));
    appendFileSync(report, `${JSON.stringify({ state, violations: summary.length, nodes, rules, where })}\n`);
  }
  return summary;
}

/** Soft assertion: the page has no WCAG 2.2 AA violations in this state. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const found = await axeViolations(page, state);
  expect.soft(found, `axe (WCAG 2.2 AA) violations on ${state}`).toEqual([]);
}
