/**
 * A secret the API answers only once (an API token, a webhook signing secret): a read-only field, a copy button
 * with a spoken result, and a button to put it away. Callers give the words, their panel's classes and test ids.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface Props {
  /** Unique on the page: the input's id (the heading's is `<id>-title`). */
  id: string;
  secret: string;
  /** The input's accessible name. */
  label: string;
  heading: ComponentChildren;
  /** h3 on a page section, h4 inside a card. */
  level: 3 | 4;
  warning: ComponentChildren;
  onDone: () => void;
  classes: { section: string; warn: string; row: string; label: string; input: string };
  testIds: { section: string; warning?: string; secret: string; copy: string; status?: string; done: string };
}

export function OnceSecret({ id, secret, label, heading, level, warning, onDone, classes, testIds }: Props) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select the text so it can be copied by hand.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('failed');
    }
  };
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <section class={classes.section} aria-labelledby={`${id}-title`} data-testid={testIds.section}>
      <Heading id={`${id}-title`}>{heading}</Heading>
      <p class={classes.warn} data-testid={testIds.warning}>
        {warning}
      </p>
      <div class={classes.row}>
        <label class={classes.label} for={id}>
          {label}
        </label>
        <input
          id={id}
          class={classes.input}
          readOnly
          value={secret}
          spellcheck={false}
          onFocus={(e) => (e.target as HTMLInputElement).select()}
          data-testid={testIds.secret}
        />
        <button type="button" class="kt-btn kt-btn--primary" onClick={copy} data-testid={testIds.copy}>
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="kt-muted" role="status" aria-live="polite" data-testid={testIds.status}>
        {copied === 'copied'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copy it by hand: it is selected.'
            : ''}
      </p>
      <button type="button" class="kt-btn kt-btn--small" onClick={onDone} data-testid={testIds.done}>
        I have copied it
      </button>
    </section>
  );
}
