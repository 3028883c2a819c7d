/** A new token's secret, shown once, with a copy button and a plain warning. */
import { OnceSecret } from '../common/OnceSecret.tsx';

interface Props {
  name: string;
  secret: string;
  onDone: () => void;
}

const classes = {
  section: 'kt-tokens__reveal',
  warn: 'kt-tokens__warn',
  row: 'kt-tokens__secret-row',
  label: 'kt-tokens__sr',
  input: 'kt-input kt-tokens__secret',
};
const testIds = {
  section: 'token-reveal',
  warning: 'token-warning',
  secret: 'token-secret',
  copy: 'token-copy',
  status: 'token-copy-status',
  done: 'token-reveal-done',
};

export function SecretReveal({ name, secret, onDone }: Props) {
  return (
    <OnceSecret
      id="token-secret"
      secret={secret}
      label="Token secret"
      heading={<>Your new token “{name}”</>}
      level={3}
      warning={
        <>
          Copy it now: <strong>you won’t see this again.</strong> Keeptime keeps only a fingerprint of it.
        </>
      }
      onDone={onDone}
      classes={classes}
      testIds={testIds}
    />
  );
}
