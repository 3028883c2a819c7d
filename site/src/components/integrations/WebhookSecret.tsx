/** A webhook's signing secret, shown once (after create or rotate), with a copy button. */
import { useState } from 'preact/hooks';

interface Props {
  /** Unique on the page: the input's id. */
  id: string;
  url: string;
  secret: string;
  rotated: boolean;
  onDone: () => void;
}

export function WebhookSecret({ id, url, secret, rotated, onDone }: Props) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it so it can be copied by hand.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('failed');
    }
  };
  return (
    <section class="kt-hooks__reveal" aria-labelledby={`${id}-title`} data-testid="webhook-secret-reveal">
      <h4 id={`${id}-title`}>{rotated ? 'New signing secret' : 'Signing secret'}</h4>
      <p class="kt-hooks__warn">
        For <span class="kt-hooks__url">{url}</span>. Copy it now: <strong>you won’t see it again.</strong>{' '}
        {rotated ? 'The old secret keeps signing beside it for 24 hours.' : ''}
      </p>
      <div class="kt-hooks__row">
        <label class="kt-sr-only" for={id}>
          Signing secret
        </label>
        <input
          id={id}
          class="kt-input kt-hooks__mono"
          readOnly
          value={secret}
          spellcheck={false}
          onFocus={(e) => (e.target as HTMLInputElement).select()}
          data-testid="webhook-secret"
        />
        <button type="button" class="kt-btn kt-btn--primary" onClick={copy} data-testid="webhook-secret-copy">
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="kt-muted" role="status" aria-live="polite">
        {copied === 'copied'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copy it by hand: it is selected.'
            : ''}
      </p>
      <button type="button" class="kt-btn kt-btn--small" onClick={onDone} data-testid="webhook-secret-done">
        I have copied it
      </button>
    </section>
  );
}
