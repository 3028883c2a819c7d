/**
 * The report for a date range (totals, per project, per day, per task), the
 * statistics' gross/net/break figures, and the break rule. Plain JSON calls
 * with checked answers.
 */
import { api } from '../net/api.ts';
import { arrayOf, isNum, isNumOrNull, isRec, isStr, isStrOrNull } from '../net/guards.ts';
import { filterQuery } from './entries.ts';

export interface Figures {
  entries: number;
  grossMs: number;
  netMs: number;
  breakMs: number;
}

export interface BreakHint {
  requiredMs: number;
  breakMs: number;
  text: string;
}

export interface ReportView {
  from: number;
  to: number;
  totals: Figures & { longestBreakMs: number };
  projects: Array<
    Figures & { projectId: string | null; name: string; color: string | null; client: string | null; sharePct: number }
  >;
  days: Array<Figures & { date: string; longestBreakMs: number; breakHint: BreakHint | null }>;
  tasks: Array<{
    projectId: string;
    taskId: string;
    title: string;
    entries: number;
    netMs: number;
    estimateMs: number | null;
  }>;
  breakRule: string | null;
}

const isFigures = (v: unknown): boolean =>
  isRec(v) && isNum(v.entries) && isNum(v.grossMs) && isNum(v.netMs) && isNum(v.breakMs);
const isHint = (v: unknown): v is BreakHint | null =>
  v === null || v === undefined || (isRec(v) && isNum(v.requiredMs) && isNum(v.breakMs) && isStr(v.text));
const isReport = (v: unknown): v is ReportView =>
  isRec(v) &&
  isNum(v.from) &&
  isNum(v.to) &&
  isFigures(v.totals) &&
  arrayOf((p: unknown): p is unknown => isFigures(p) && isRec(p) && isStr(p.name) && isStrOrNull(p.color ?? null))(
    v.projects,
  ) &&
  arrayOf((d: unknown): d is unknown => isFigures(d) && isRec(d) && isStr(d.date) && isHint(d.breakHint))(v.days) &&
  arrayOf(
    (t: unknown): t is unknown => isRec(t) && isStr(t.title) && isNum(t.netMs) && isNumOrNull(t.estimateMs ?? null),
  )(v.tasks);

/** The report for local dates [from, to] (inclusive), optionally one project. */
export async function fetchReport(from: string, to: string, projectId: string | null): Promise<ReportView> {
  const q = new URLSearchParams({
    ...filterQuery({ from, to, projectId }),
    tzOffset: String(new Date().getTimezoneOffset()),
  });
  const r = await api(`/api/sessions/report?${q}`, isReport);
  return {
    ...r,
    totals: { ...r.totals, longestBreakMs: isNum(r.totals.longestBreakMs) ? r.totals.longestBreakMs : 0 },
    projects: r.projects.map((p) => ({ ...p, color: p.color ?? null, client: p.client ?? null })),
    days: r.days.map((d) => ({ ...d, breakHint: d.breakHint ?? null, longestBreakMs: d.longestBreakMs ?? 0 })),
    breakRule: isStr(r.breakRule) ? r.breakRule : null,
  };
}

// ── Break rule ─────────────────────────────────────────────────────────────
export type BreakRuleChoice = 'none' | 'de-arbzg';

const isRuleBody = (v: unknown): v is { breakRule: unknown } => isRec(v) && 'breakRule' in v;
const ruleName = (r: unknown): BreakRuleChoice =>
  r === 'de-arbzg' || (isRec(r) && r.name === 'de-arbzg') ? 'de-arbzg' : 'none';

export async function fetchBreakRule(): Promise<BreakRuleChoice> {
  return ruleName((await api('/api/sessions/break-rule', isRuleBody)).breakRule);
}

export async function saveBreakRule(choice: BreakRuleChoice): Promise<BreakRuleChoice> {
  const body = { breakRule: choice === 'none' ? null : choice };
  return ruleName((await api('/api/sessions/break-rule', isRuleBody, { method: 'PUT', body })).breakRule);
}
