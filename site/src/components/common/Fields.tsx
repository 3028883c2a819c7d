/**
 * The form's small field shapes, written once: a labelled number box, a labelled datetime-local box (whole
 * seconds), and a checkbox with its words. Each takes the text it shows and reports the new text.
 */
import type { ComponentChildren } from 'preact';

const text = (e: Event) => (e.target as HTMLInputElement).value;

interface NumberFieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  min: string;
  max: string;
  step?: string;
  disabled?: boolean;
  testId?: string;
}

export function NumberField({ label, value, onInput, min, max, step, disabled, testId }: NumberFieldProps) {
  return (
    <label class="kt-field">
      <span>{label}</span>
      <input
        class="kt-input"
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        onInput={(e) => onInput(text(e))}
        data-testid={testId}
      />
    </label>
  );
}

interface InstantFieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  invalid?: boolean;
  required?: boolean;
  testId?: string;
}

export function InstantField({ label, value, onInput, invalid, required, testId }: InstantFieldProps) {
  return (
    <label class="kt-field">
      <span>{label}</span>
      <input
        class="kt-input"
        type="datetime-local"
        step="1"
        value={value}
        aria-invalid={invalid ? 'true' : undefined}
        onInput={(e) => onInput(text(e))}
        data-testid={testId}
        required={required}
      />
    </label>
  );
}

interface CheckFieldProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId?: string;
  children: ComponentChildren;
}

export function CheckField({ checked, onChange, testId, children }: CheckFieldProps) {
  return (
    <label class="kt-check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange((e.target as HTMLInputElement).checked)}
        data-testid={testId}
      />
      {children}
    </label>
  );
}
