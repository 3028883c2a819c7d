/**
 * A floor's variance-review thresholds: an absolute quantity and/or a percentage for the whole floor (empty: none),
 * and per-item overrides that replace the floor's numbers for one item code. Closed, it says what is set; "Edit"
 * opens the form. Numbers are shown and read the reader's locale's way; problems are named at their field, and a
 * save with problems moves focus to the first one. The page keys it by floor, so another floor starts closed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LayoutFloor, ThresholdsBody } from '../../lib/racks/warehouse.ts';
import {
  type DraftProblem,
  type ItemDraft,
  type ThresholdsDraft,
  bodyOf,
  draftOf,
  draftProblems,
  thresholdWords,
} from '../../lib/racks/warehouse-review.ts';
import { ItemOverrideRow, NumberField, rowFieldId } from './ThresholdFields.tsx';

interface ReviewThresholdsProps {
  floor: LayoutFloor;
  busy: boolean;
  /** Saves the whole set; true when it was saved. */
  save: (body: ThresholdsBody) => Promise<boolean>;
}

const LIVE: ReadonlySet<DraftProblem['field']> = new Set(['qty', 'pct']);

export function ReviewThresholds({ floor, busy, save }: ReviewThresholdsProps) {
  const [draft, setDraft] = useState<ThresholdsDraft | null>(null);
  const [tried, setTried] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const base = `kt-thr-${floor.id}`;
  const review = floor.review;

  // Focus after render: a new row's code, the first problem, or the add button after a removal.
  useEffect(() => {
    if (!focus) return;
    document.getElementById(focus)?.focus();
    setFocus(null);
  }, [focus]);

  const items = Object.entries(review?.items ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const floorWords = thresholdWords(review ?? { qty: null, pct: null });

  if (!draft)
    return (
      <section class="kt-thr" data-testid="wh-review" aria-labelledby={`${base}-title`}>
        <div class="kt-thr__head">
          <h3 id={`${base}-title`}>Review thresholds</h3>
          <button
            type="button"
            class="kt-btn"
            id={`${base}-edit`}
            data-testid="wh-review-edit"
            onClick={() => {
              setDraft(draftOf(review));
              setTried(false);
              setFocus(`${base}-qty`);
            }}
          >
            Edit thresholds
          </button>
        </div>
        <p data-testid="wh-review-summary">
          {floorWords === 'none'
            ? 'No floor threshold: a variance goes to review only where an item override says so.'
            : `A variance ${floorWords} goes to review.`}
        </p>
        {items.length > 0 ? (
          <ul class="kt-thr__list" data-testid="wh-review-overrides" aria-label="Item overrides">
            {items.map(([code, t]) => (
              <li key={code} data-item={code}>
                <code>{code}</code>: {thresholdWords(t)}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    );

  const problems = draftProblems(draft);
  const shown = tried ? problems : problems.filter((p) => LIVE.has(p.field));
  const floorError = (field: 'qty' | 'pct') =>
    shown.find((p) => p.at === 'floor' && p.field === field)?.message ?? null;
  const rowErrors = (key: number) =>
    Object.fromEntries(shown.filter((p) => p.at === key).map((p) => [p.field, p.message]));
  const setRow = (row: ItemDraft) =>
    setDraft({ ...draft, items: draft.items.map((r) => (r.key === row.key ? row : r)) });
  const nextKey = draft.items.reduce((k, r) => Math.max(k, r.key), 0) + 1;
  const codes = [...new Set(floor.racks.flatMap((r) => r.expected.map((i) => i.item_code)))].sort().slice(0, 500);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (problems.length > 0) {
      setTried(true);
      const p = problems[0] as DraftProblem;
      setFocus(
        p.at === 'floor'
          ? `${base}-${p.field === 'pct' ? 'pct' : 'qty'}`
          : rowFieldId(base, p.at, p.field === 'row' ? 'qty' : p.field),
      );
      return;
    }
    if (await save(bodyOf(draft, review))) {
      setDraft(null);
      setFocus(`${base}-edit`);
    }
  };

  return (
    <section class="kt-thr is-open" data-testid="wh-review" aria-labelledby={`${base}-title`}>
      <div class="kt-thr__head">
        <h3 id={`${base}-title`}>Review thresholds</h3>
      </div>
      <form class="kt-thr__form" noValidate onSubmit={submit} data-testid="wh-review-form">
        <p class="kt-muted">
          A completed audit goes to review when an item's variance is over a threshold. Leave a box empty for none.
        </p>
        <fieldset class="kt-thr__group">
          <legend>Whole floor</legend>
          <div class="kt-thr__pair">
            <NumberField
              id={`${base}-qty`}
              label="Units"
              mode="numeric"
              value={draft.qty}
              error={floorError('qty')}
              testId="wh-review-qty"
              onInput={(qty) => setDraft({ ...draft, qty })}
            />
            <NumberField
              id={`${base}-pct`}
              label="Percent"
              mode="decimal"
              value={draft.pct}
              error={floorError('pct')}
              testId="wh-review-pct"
              onInput={(pct) => setDraft({ ...draft, pct })}
            />
          </div>
        </fieldset>
        <fieldset class="kt-thr__group">
          <legend>Item overrides</legend>
          <p class="kt-muted">An override replaces the floor's numbers for that item code.</p>
          {draft.items.length > 0 ? (
            <ul class="kt-thr__items">
              {draft.items.map((row) => (
                <ItemOverrideRow
                  key={row.key}
                  base={base}
                  row={row}
                  codes={`${base}-codes`}
                  errors={rowErrors(row.key)}
                  onChange={setRow}
                  onRemove={() => {
                    setDraft({ ...draft, items: draft.items.filter((r) => r.key !== row.key) });
                    setFocus(`${base}-add`);
                  }}
                />
              ))}
            </ul>
          ) : null}
          <datalist id={`${base}-codes`}>
            {codes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <button
            type="button"
            id={`${base}-add`}
            class="kt-btn"
            data-testid="wh-review-add"
            onClick={() => {
              setDraft({ ...draft, items: [...draft.items, { key: nextKey, code: '', qty: '', pct: '' }] });
              setFocus(rowFieldId(base, nextKey, 'code'));
            }}
          >
            Add item override
          </button>
        </fieldset>
        {tried && problems.length > 0 ? (
          <p class="kt-alert kt-alert--warn" role="alert" data-testid="wh-review-problems">
            {problems.length === 1 ? 'One thing to fix' : `${problems.length} things to fix`} before saving.
          </p>
        ) : null}
        <div class="kt-warehouse__actions">
          <button type="submit" class="kt-btn kt-btn--primary kt-btn--big" data-testid="wh-review-save" disabled={busy}>
            Save thresholds
          </button>
          <button
            type="button"
            class="kt-btn kt-btn--ghost kt-btn--big"
            data-testid="wh-review-cancel"
            onClick={() => {
              setDraft(null);
              setFocus(`${base}-edit`);
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
