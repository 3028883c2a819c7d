/** A new token's secret, shown once, with a copy button and a plain warning. */
import { useState } from 'preact/hooks';

interface Props {
  name: string;
  secret: string;
  onDone: () => void;
}

export function SecretReveal({ name, secret, onDone }: Props) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select the text so it can be copied by hand.
      (document.getElementById('token-secret') as HTMLInputElement | null)?.select();
      setCopied('failed');
    }
  };
  return (
    <section class="kt-tokens__reveal" aria-labelledby="token-reveal-title" data-testid="token-reveal">
      <h3 id="token-reveal-title">Your new token “{name}”</h3>
      <p class="kt-tokens__warn" data-testid="token-warning">
        Copy it now: <strong>you won’t see this again.</strong> Keeptime keeps only a fingerprint of it.
      </p>
      <div class="kt-tokens__secret-row">
        <label class="kt-tokens__sr" for="token-secret">
          Token secret
        </label>
        <input
          id="token-secret"
          class="kt-input kt-tokens__secret"
          readOnly
          value={secret}
          spellcheck={false}
          onFocus={(e) => (e.target as HTMLInputElement).select()}
          data-testid="token-secret"
        />
        <button type="button" class="kt-btn kt-btn--primary" onClick={copy} data-testid="token-copy">
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="kt-muted" role="status" aria-live="polite" data-testid="token-copy-status">
        {copied === 'copied'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copy it by hand: it is selected.'
            : ''}
      </p>
      <button type="button" class="kt-btn kt-btn--small" onClick={onDone} data-testid="token-reveal-done">
        I have copied it
      </button>
    </section>
  );
}
