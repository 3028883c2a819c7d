/**
 * Variance review of a completed rack audit as a pure state machine:
 * `openReview(input) → Review` at completion, then `reviewTransition(review, command) → { review, entries } | { rejected }`.
 * An item whose variance passes its threshold is flagged. A supervisor decides each flagged item: accept the count,
 * override it (a quantity and a reason), or send it back for a recount. A recount runs under a normal lease; its
 * result applies only under the token the recount lease was granted with. The review is `posted` exactly when every
 * flagged item holds a final decision (accept or override). No I/O and no clock: every command carries its instant.
 */
import type { ExpectedItem } from './summary.ts';

// ── State ──────────────────────────────────────────────────────────────────
export type AuditStatus = 'posted' | 'needs_review' | 'recount';
export const REVIEW_DECISIONS = ['accept', 'recount', 'override'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A threshold: an absolute quantity, a percentage of the expected quantity, or both (either passed flags). */
export interface Threshold {
  qty: number | null;
  pct: number | null;
}

/** A floor's thresholds; a per-item entry replaces the floor's numbers for that item code. */
export interface Thresholds extends Threshold {
  items: Record<string, Threshold>;
}

export const NO_THRESHOLDS: Thresholds = { qty: null, pct: null, items: {} };

/** Caps: a review's history, and the items one review keeps (so its stored record stays well under 1 MB). */
export const MAX_REVIEW_HISTORY = 2000;
export const MAX_REVIEW_ITEMS = 2000;

export interface RecountResult {
  counted_qty: number;
  damage_qty: number;
  variance: number;
  by: string;
  session_id: string;
  at: number;
}

export interface ReviewItem {
  item_code: string;
  description: string | null;
  expected_qty: number;
  counted_qty: number;
  damage_qty: number;
  variance: number;
  flagged: boolean;
  /** The latest recount, shown beside the first count. */
  recount: RecountResult | null;
  decision: ReviewDecision | null;
  final_qty: number | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: number | null;
}

export interface PendingRecount {
  items: string[];
  assignee: string | null;
  requested_at: number;
  /** The recount lease, once claimed: its result applies only under this session and token. */
  session_id: string | null;
  fencing_token: number | null;
  holder: string | null;
}

export interface HistoryEntry {
  seq: number;
  type: 'completed' | 'decision' | 'recount-started' | 'recount-done' | 'posted';
  item_code?: string;
  decision?: ReviewDecision;
  qty?: number;
  reason?: string;
  assignee?: string | null;
  session_id?: string;
  fencing_token?: number;
  by: string;
  at: number;
}

export interface Review {
  audit_id: string;
  rack_id: string;
  floor: string;
  status: AuditStatus;
  blind: boolean;
  counter_id: string;
  counter_name: string | null;
  started_at: number;
  completed_at: number;
  posted_at: number | null;
  expected_changed: boolean;
  thresholds: Thresholds;
  items: ReviewItem[];
  /** Items of the audit past MAX_REVIEW_ITEMS the review does not keep (they stand as counted). */
  omitted: number;
  recount: PendingRecount | null;
  history: HistoryEntry[];
  version: number;
}

// ── Commands ───────────────────────────────────────────────────────────────
export type ReviewCommand =
  | {
      type: 'decide';
      itemCode: string;
      decision: ReviewDecision;
      qty?: number | undefined;
      reason?: string | undefined;
      assignee?: string | null | undefined;
      by: string;
      at: number;
    }
  /** A recount lease was granted (or handed to another worker): its session and token become the recount's fence. */
  | { type: 'recount-started'; sessionId: string; fencingToken: number; holder: string; by: string; at: number }
  /** The recount lease completed with these counts (an item not scanned counts as 0). */
  | {
      type: 'recount-done';
      sessionId: string;
      fencingToken: number;
      counts: Record<string, { counted_qty: number; damage_qty: number }>;
      by: string;
      at: number;
    };

export type ReviewRejectCode =
  | 'review_item_not_found'
  | 'item_not_flagged'
  | 'review_closed'
  | 'already_decided'
  | 'recount_pending'
  | 'no_recount'
  | 'stale_fencing_token'
  | 'validation_failed'
  | 'review_history_full';

export type ReviewResult =
  | { review: Review; entries: HistoryEntry[] }
  | { rejected: ReviewRejectCode; message: string };

// ── Derivations ──────────────────────────────────────────────────────────
/** Whether `variance` on `expected` passes `t` (no number set: never). Expected 0 with any variance passes a pct. */
export function overThreshold(expected: number, variance: number, t: Threshold): boolean {
  const v = Math.abs(variance);
  if (t.qty !== null && v > t.qty) return true;
  if (t.pct !== null && v > 0) return expected === 0 ? true : (v * 100) / expected > t.pct;
  return false;
}

export const thresholdFor = (t: Thresholds, itemCode: string): Threshold => t.items[itemCode] ?? t;

/** A decision that closes the item (a recount keeps it open until its result is decided). */
const isFinal = (d: ReviewDecision | null): boolean => d === 'accept' || d === 'override';

/** The status the items imply: `recount` while one waits for its recount, else `needs_review` while one is undecided. */
export function statusOf(items: ReviewItem[], recount: PendingRecount | null): AuditStatus {
  if (recount && recount.items.length > 0) return 'recount';
  return items.every((i) => !i.flagged || isFinal(i.decision)) ? 'posted' : 'needs_review';
}

export const flaggedCodes = (r: Review): string[] => r.items.filter((i) => i.flagged).map((i) => i.item_code);

// ── Opening ────────────────────────────────────────────────────────────────
export interface OpenReviewInput {
  auditId: string;
  rackId: string;
  floor: string;
  blind: boolean;
  counterId: string;
  counterName: string | null;
  startedAt: number;
  completedAt: number;
  expected: Array<ExpectedItem & { description?: string | undefined }>;
  counted: Array<{ itemCode: string; verifiedQty: number; damageQty: number }>;
  thresholds: Thresholds;
  expectedChanged: boolean;
}

/** The review of a completed audit: every expected or counted item, flagged by its threshold; posted at once if none is. */
export function openReview(input: OpenReviewInput): Review {
  const expected = new Map(input.expected.map((e) => [e.item_code, e]));
  const counted = new Map(input.counted.map((c) => [c.itemCode, c]));
  const codes = [...new Set([...expected.keys(), ...counted.keys()])].sort();
  const all = codes.map((code): ReviewItem => {
    const e = expected.get(code);
    const c = counted.get(code);
    const exp = e?.expected_qty ?? 0;
    const qty = c ? c.verifiedQty + c.damageQty : 0;
    const variance = qty - exp;
    const flagged = overThreshold(exp, variance, thresholdFor(input.thresholds, code));
    return {
      item_code: code,
      description: e?.description ?? null,
      expected_qty: exp,
      counted_qty: qty,
      damage_qty: c?.damageQty ?? 0,
      variance,
      flagged,
      recount: null,
      decision: null,
      final_qty: flagged ? null : qty,
      reason: null,
      decided_by: null,
      decided_at: null,
    };
  });
  // Past the cap the review keeps the flagged items, largest variance first, then the others; the rest stay as counted.
  const rank = (i: ReviewItem) => (i.flagged ? 1 : 0) * 1e9 + Math.abs(i.variance);
  const kept =
    all.length > MAX_REVIEW_ITEMS
      ? [...all]
          .sort((a, b) => rank(b) - rank(a))
          .slice(0, MAX_REVIEW_ITEMS)
          .sort((a, b) => (a.item_code < b.item_code ? -1 : 1))
      : all;
  const items = kept;
  const status = statusOf(items, null);
  const at = input.completedAt;
  const history: HistoryEntry[] = [{ seq: 1, type: 'completed', by: input.counterId, at }];
  if (status === 'posted') history.push({ seq: 2, type: 'posted', by: 'system', at });
  return {
    audit_id: input.auditId,
    rack_id: input.rackId,
    floor: input.floor,
    status,
    blind: input.blind,
    counter_id: input.counterId,
    counter_name: input.counterName,
    started_at: input.startedAt,
    completed_at: at,
    posted_at: status === 'posted' ? at : null,
    expected_changed: input.expectedChanged,
    thresholds: input.thresholds,
    items,
    omitted: all.length - kept.length,
    recount: null,
    history,
    version: 1,
  };
}

// ── Transition ─────────────────────────────────────────────────────────────
export function reviewTransition(review: Review, cmd: ReviewCommand): ReviewResult {
  if (review.history.length >= MAX_REVIEW_HISTORY)
    return { rejected: 'review_history_full', message: `A review keeps at most ${MAX_REVIEW_HISTORY} entries` };
  switch (cmd.type) {
    case 'decide':
      return decide(review, cmd);
    case 'recount-started': {
      if (!review.recount) return { rejected: 'no_recount', message: 'No recount is waiting on this audit' };
      const recount = {
        ...review.recount,
        session_id: cmd.sessionId,
        fencing_token: cmd.fencingToken,
        holder: cmd.holder,
      };
      return finish(review, review.items, recount, [
        { type: 'recount-started', session_id: cmd.sessionId, fencing_token: cmd.fencingToken, by: cmd.by, at: cmd.at },
      ]);
    }
    case 'recount-done': {
      const r = review.recount;
      if (!r) return { rejected: 'no_recount', message: 'No recount is waiting on this audit' };
      if (r.session_id !== cmd.sessionId || r.fencing_token !== cmd.fencingToken)
        return { rejected: 'stale_fencing_token', message: 'The recount was not done under the current recount lease' };
      const wanted = new Set(r.items);
      const items = review.items.map((i): ReviewItem => {
        if (!wanted.has(i.item_code)) return i;
        const c = cmd.counts[i.item_code] ?? { counted_qty: 0, damage_qty: 0 };
        const variance = c.counted_qty - i.expected_qty;
        const recount: RecountResult = { ...c, variance, by: cmd.by, session_id: cmd.sessionId, at: cmd.at };
        // Within its threshold, the recount settles the item; otherwise it is the supervisor's again.
        const settled = !overThreshold(i.expected_qty, variance, thresholdFor(review.thresholds, i.item_code));
        return settled
          ? {
              ...i,
              recount,
              decision: 'accept',
              final_qty: c.counted_qty,
              reason: 'recount within threshold',
              decided_by: 'system',
              decided_at: cmd.at,
            }
          : { ...i, recount, decision: null, final_qty: null, reason: null, decided_by: null, decided_at: null };
      });
      return finish(review, items, null, [
        { type: 'recount-done', session_id: cmd.sessionId, fencing_token: cmd.fencingToken, by: cmd.by, at: cmd.at },
      ]);
    }
  }
}

function decide(review: Review, cmd: Extract<ReviewCommand, { type: 'decide' }>): ReviewResult {
  const item = review.items.find((i) => i.item_code === cmd.itemCode);
  if (!item) return { rejected: 'review_item_not_found', message: `Item ${cmd.itemCode} is not in this audit` };
  if (!item.flagged) return { rejected: 'item_not_flagged', message: `Item ${cmd.itemCode} is within its threshold` };
  const waiting = review.recount?.items.includes(cmd.itemCode) ?? false;
  // The same decision again is a retry: the review as it is, nothing journaled twice.
  if (item.decision === cmd.decision && (isFinal(item.decision) || waiting) && sameValues(item, cmd))
    return { review, entries: [] };
  if (review.status === 'posted') return { rejected: 'review_closed', message: 'The audit is posted' };
  if (waiting) return { rejected: 'recount_pending', message: `Item ${cmd.itemCode} waits for its recount` };
  if (isFinal(item.decision)) return { rejected: 'already_decided', message: `Item ${cmd.itemCode} is decided` };
  if (cmd.decision === 'override' && (cmd.qty === undefined || !cmd.reason))
    return { rejected: 'validation_failed', message: 'An override needs qty and reason' };
  if (cmd.decision === 'recount' && review.recount?.session_id)
    return { rejected: 'recount_pending', message: 'A recount of this audit is already being counted' };
  const latest = item.recount?.counted_qty ?? item.counted_qty;
  const decided: ReviewItem = {
    ...item,
    decision: cmd.decision,
    final_qty: cmd.decision === 'override' ? (cmd.qty as number) : cmd.decision === 'accept' ? latest : null,
    reason: cmd.reason ?? null,
    decided_by: cmd.by,
    decided_at: cmd.at,
  };
  const items = review.items.map((i) => (i.item_code === cmd.itemCode ? decided : i));
  const recount =
    cmd.decision === 'recount'
      ? {
          items: [...(review.recount?.items ?? []), cmd.itemCode],
          assignee: cmd.assignee ?? review.recount?.assignee ?? null,
          requested_at: review.recount?.requested_at ?? cmd.at,
          session_id: null,
          fencing_token: null,
          holder: null,
        }
      : review.recount;
  const entry: Omit<HistoryEntry, 'seq'> = {
    type: 'decision',
    item_code: cmd.itemCode,
    decision: cmd.decision,
    ...(cmd.qty !== undefined ? { qty: cmd.qty } : {}),
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    ...(cmd.decision === 'recount' ? { assignee: cmd.assignee ?? null } : {}),
    by: cmd.by,
    at: cmd.at,
  };
  return finish(review, items, recount, [entry]);
}

function sameValues(item: ReviewItem, cmd: Extract<ReviewCommand, { type: 'decide' }>): boolean {
  if (cmd.decision !== 'override') return true;
  return item.final_qty === cmd.qty && item.reason === (cmd.reason ?? null);
}

/** The next review: its status re-derived, the entries numbered, `posted` journaled when it first gets there. */
function finish(
  review: Review,
  items: ReviewItem[],
  recount: PendingRecount | null,
  add: Array<Omit<HistoryEntry, 'seq'>>,
): ReviewResult {
  const status = statusOf(items, recount);
  const last = add[add.length - 1] as Omit<HistoryEntry, 'seq'>;
  const all =
    status === 'posted' && review.status !== 'posted'
      ? [...add, { type: 'posted' as const, by: 'system', at: last.at }]
      : add;
  let seq = review.history.length === 0 ? 0 : (review.history[review.history.length - 1] as HistoryEntry).seq;
  const entries = all.map((e) => ({ ...e, seq: ++seq }));
  return {
    review: {
      ...review,
      items,
      recount,
      status,
      posted_at: status === 'posted' ? (review.posted_at ?? last.at) : null,
      history: [...review.history, ...entries],
      version: review.version + 1,
    },
    entries,
  };
}
