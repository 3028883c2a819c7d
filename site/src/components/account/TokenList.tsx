/** The account's live tokens: name, scopes, when made, when last used, and revoke (two clicks). */
import { type ApiToken, formatAgo, formatInstant } from '../../lib/account/tokens.ts';
import { ConfirmButton } from '../common/ConfirmButton.tsx';

interface Props {
  tokens: ApiToken[];
  limit: number;
  onRevoke: (t: ApiToken) => void;
}

export function TokenList({ tokens, limit, onRevoke }: Props) {
  if (tokens.length === 0)
    return (
      <p class="kt-muted" data-testid="tokens-empty">
        No tokens yet.
      </p>
    );
  const now = Date.now();
  return (
    <>
      <p class="kt-muted kt-tokens__count" data-testid="tokens-count">
        {tokens.length} of {limit} tokens
      </p>
      <ul class="kt-tokens__list" data-testid="tokens-list">
        {tokens.map((t) => (
          <li class="kt-tokens__item" key={t.id} data-testid="token-row" data-token-id={t.id}>
            <div class="kt-tokens__main">
              <strong class="kt-tokens__name" data-testid="token-row-name">
                {t.name}
              </strong>
              <span class="kt-tokens__chips">
                <span class="kt-tokens__sr">Scopes: </span>
                {t.scopes.map((s) => (
                  <span class="kt-tokens__chip" key={s}>
                    {s}
                  </span>
                ))}
              </span>
              <span class="kt-muted kt-tokens__dates">
                Created <time dateTime={new Date(t.createdAt).toISOString()}>{formatInstant(t.createdAt)}</time>
                {' · '}
                <span data-testid="token-last-used">
                  {t.lastUsedAt === null ? (
                    'Never used'
                  ) : (
                    <>
                      Last used{' '}
                      <time dateTime={new Date(t.lastUsedAt).toISOString()} title={formatInstant(t.lastUsedAt)}>
                        {formatAgo(t.lastUsedAt, now)}
                      </time>
                    </>
                  )}
                </span>
              </span>
            </div>
            <ConfirmButton
              onConfirm={() => onRevoke(t)}
              confirmText="Revoke now"
              testid="token-revoke"
              class="kt-btn--small"
            >
              Revoke<span class="kt-tokens__sr"> {t.name}</span>
            </ConfirmButton>
          </li>
        ))}
      </ul>
    </>
  );
}
