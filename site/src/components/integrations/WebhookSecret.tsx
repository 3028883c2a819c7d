/** A webhook's signing secret, shown once (after create or rotate), with a copy button. */
import { OnceSecret } from '../common/OnceSecret.tsx';

interface Props {
  /** Unique on the page: the input's id. */
  id: string;
  url: string;
  secret: string;
  rotated: boolean;
  onDone: () => void;
}

const classes = {
  section: 'kt-hooks__reveal',
  warn: 'kt-hooks__warn',
  row: 'kt-hooks__row',
  label: 'kt-sr-only',
  input: 'kt-input kt-hooks__mono',
};
const testIds = {
  section: 'webhook-secret-reveal',
  secret: 'webhook-secret',
  copy: 'webhook-secret-copy',
  done: 'webhook-secret-done',
};

export function WebhookSecret({ id, url, secret, rotated, onDone }: Props) {
  return (
    <OnceSecret
      id={id}
      secret={secret}
      label="Signing secret"
      heading={rotated ? 'New signing secret' : 'Signing secret'}
      level={4}
      warning={
        <>
          For <span class="kt-hooks__url">{url}</span>. Copy it now: <strong>you won’t see it again.</strong>{' '}
          {rotated ? 'The old secret keeps signing beside it for 24 hours.' : ''}
        </>
      }
      onDone={onDone}
      classes={classes}
      testIds={testIds}
    />
  );
}
