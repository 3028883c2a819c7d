/**
 * The pieces of the review-thresholds form: a number field with its own error message (named by aria-describedby,
 * marked aria-invalid), and one per-item override row (code, units, percent, remove).
 */
import type { ItemDraft } from '../../lib/racks/warehouse-review.ts';

interface NumberFieldProps {
  id: string;
  label: string;
  value: string;
  /** "numeric" for whole units, "decimal" for a percentage. */
  mode: 'numeric' | 'decimal';
  error: string | null;
  testId: string;
  /** The id of a message about the whole row (it marks this field invalid too). */
  rowError?: string | undefined;
  onInput: (text: string) => void;
}

export function NumberField({ id, label, value, mode, error, testId, rowError, onInput }: NumberFieldProps) {
  const errId = `${id}-error`;
  const describedBy = [error ? errId : null, rowError ?? null].filter(Boolean).join(' ');
  return (
    <div class="kt-field kt-thr__field">
      <label for={id}>{label}</label>
      <input
        id={id}
        class="kt-input"
        inputMode={mode}
        autoComplete="off"
        data-testid={testId}
        value={value}
        aria-invalid={error || rowError ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error ? (
        <p id={errId} class="kt-thr__error" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface ItemRowProps {
  base: string;
  row: ItemDraft;
  codes: string;
  errors: Partial<Record<'code' | 'qty' | 'pct' | 'row', string>>;
  onChange: (row: ItemDraft) => void;
  onRemove: () => void;
}

/** Element ids of an override row's fields (the form focuses the first one with a problem). */
export const rowFieldId = (base: string, key: number, field: 'code' | 'qty' | 'pct') => `${base}-item-${key}-${field}`;

export function ItemOverrideRow({ base, row, codes, errors, onChange, onRemove }: ItemRowProps) {
  const codeId = rowFieldId(base, row.key, 'code');
  const rowErr = `${base}-item-${row.key}-row-error`;
  const name = row.code.trim() || 'new item';
  return (
    <li class="kt-thr__item" data-testid="wh-review-item" data-item={row.code.trim()}>
      <div class="kt-field kt-thr__field kt-thr__code">
        <label for={codeId}>Item code</label>
        <input
          id={codeId}
          class="kt-input"
          list={codes}
          autoComplete="off"
          spellcheck={false}
          maxLength={128}
          data-testid="wh-review-item-code"
          value={row.code}
          aria-invalid={errors.code ? 'true' : undefined}
          aria-describedby={errors.code ? `${codeId}-error` : undefined}
          onInput={(e) => onChange({ ...row, code: e.currentTarget.value })}
        />
        {errors.code ? (
          <p id={`${codeId}-error`} class="kt-thr__error" data-testid="wh-review-item-code-error">
            {errors.code}
          </p>
        ) : null}
      </div>
      <NumberField
        id={rowFieldId(base, row.key, 'qty')}
        label="Units"
        mode="numeric"
        value={row.qty}
        error={errors.qty ?? null}
        rowError={errors.row ? rowErr : undefined}
        testId="wh-review-item-qty"
        onInput={(qty) => onChange({ ...row, qty })}
      />
      <NumberField
        id={rowFieldId(base, row.key, 'pct')}
        label="Percent"
        mode="decimal"
        value={row.pct}
        error={errors.pct ?? null}
        rowError={errors.row ? rowErr : undefined}
        testId="wh-review-item-pct"
        onInput={(pct) => onChange({ ...row, pct })}
      />
      <button
        type="button"
        class="kt-btn kt-btn--ghost kt-thr__remove"
        data-testid="wh-review-item-remove"
        aria-label={`Remove override for ${name}`}
        onClick={onRemove}
      >
        Remove
      </button>
      {errors.row ? (
        <p id={rowErr} class="kt-thr__error kt-thr__rowerror" data-testid="wh-review-item-error">
          {errors.row}
        </p>
      ) : null}
    </li>
  );
}
