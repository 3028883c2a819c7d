/** /integrations: webhook endpoints for my sessions, my rooms and (admins) the floors, with their delivery logs. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { listFloors } from '../../lib/racks/api.ts';
import { listRooms } from '../../lib/rooms/api.ts';
import { GateUnreachable, useUserGate } from '../common/user-gate.tsx';
import { ErrorState } from '../common/ErrorState.tsx';
import { WebhookPanel } from './WebhookPanel.tsx';
import { floorPlace, roomPlace, sessionPlace } from './webhooks-api.ts';

export default function IntegrationsApp() {
  const { gate, check } = useUserGate();
  if (gate.kind === 'loading') return <p class="kt-loading">Loading…</p>;
  if (gate.kind === 'error') return <GateUnreachable message={gate.message} retry={check} />;
  if (!gate.user) {
    return (
      <ErrorState kind="unauthenticated" title="Log in to manage integrations" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent('/integrations/')}`}>Log in</a> to send Keeptime events to your
          own services.
        </p>
      </ErrorState>
    );
  }
  return (
    <div class="kt-page kt-hooks" data-testid="integrations-page">
      <h1>Integrations</h1>
      <p class="kt-muted kt-hooks__intro">
        Webhooks send Keeptime events to your service as signed HTTP POSTs (Standard Webhooks: <code>webhook-id</code>,{' '}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>). Failed deliveries are retried for hours, in
        order; receivers deduplicate on <code>webhook-id</code>. For scripts that call Keeptime, create an API token on
        your{' '}
        <a href="/account/" data-testid="integrations-account-link">
          Account
        </a>{' '}
        page.
      </p>
      <section class="kt-card kt-hooks__section" aria-labelledby="hooks-sessions">
        <h2 id="hooks-sessions">My sessions</h2>
        <WebhookPanel place={sessionPlace} prefix="sessions" />
      </section>
      <RoomsSection />
      {gate.user.role === 'admin' ? <FloorsSection /> : null}
    </div>
  );
}

type Choice = { id: string; name: string };
type Options = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ok'; list: Choice[] };

function usePicker(load: () => Promise<Choice[]>) {
  const [options, setOptions] = useState<Options>({ kind: 'loading' });
  const [picked, setPicked] = useState<string>('');
  useEffect(() => {
    load().then(
      (list) => {
        setOptions({ kind: 'ok', list });
        setPicked((p) => p || list[0]?.id || '');
      },
      (e: unknown) => setOptions({ kind: 'error', message: errorText(e) }),
    );
  }, []);
  return { options, picked, setPicked };
}

function Picker(props: {
  id: string;
  label: string;
  options: Options;
  picked: string;
  onPick: (id: string) => void;
  empty: string;
}) {
  const { options } = props;
  if (options.kind === 'loading') return <p class="kt-muted">Loading…</p>;
  if (options.kind === 'error')
    return (
      <p class="kt-alert" role="alert">
        {options.message}
      </p>
    );
  if (options.list.length === 0) return <p class="kt-muted">{props.empty}</p>;
  return (
    <p class="kt-hooks__picker">
      <label for={props.id}>{props.label}</label>{' '}
      <select
        id={props.id}
        class="kt-input"
        value={props.picked}
        onChange={(e) => props.onPick((e.target as HTMLSelectElement).value)}
        data-testid={props.id}
      >
        {options.list.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </p>
  );
}

function RoomsSection() {
  const { options, picked, setPicked } = usePicker(async () =>
    (await listRooms()).map((r) => ({ id: r.id, name: r.name })),
  );
  return (
    <section class="kt-card kt-hooks__section" aria-labelledby="hooks-rooms">
      <h2 id="hooks-rooms">Rooms</h2>
      <Picker
        id="hooks-room"
        label="Room"
        options={options}
        picked={picked}
        onPick={setPicked}
        empty="You have no rooms yet."
      />
      {picked ? <WebhookPanel place={roomPlace(picked)} prefix="rooms" /> : null}
    </section>
  );
}

function FloorsSection() {
  const { options, picked, setPicked } = usePicker(async () =>
    (await listFloors()).map((f) => ({ id: f.id, name: f.name })),
  );
  return (
    <section class="kt-card kt-hooks__section" aria-labelledby="hooks-floors">
      <h2 id="hooks-floors">Floors</h2>
      <p class="kt-muted">Rack claims, lost leases, completed audits and conflicts on a floor (admins only).</p>
      <Picker
        id="hooks-floor"
        label="Floor"
        options={options}
        picked={picked}
        onPick={setPicked}
        empty="The warehouse has no floors."
      />
      {picked ? <WebhookPanel place={floorPlace(picked)} prefix="floors" /> : null}
    </section>
  );
}
