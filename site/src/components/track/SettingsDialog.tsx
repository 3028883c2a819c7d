/**
 * Session settings: the idle limit and auto-stop (server-side, every device),
 * the break rule for the statistics' hints, and this browser's focus defaults
 * and chime. Values are typed in minutes (seconds allowed: "0.5" is 30 s).
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type BreakRuleChoice, fetchBreakRule, saveBreakRule } from '../../lib/sessions/report.ts';
import {
  FOCUS_BOUNDS,
  type LocalPrefs,
  fetchIdleSettings,
  idleProblem,
  saveIdleSettings,
  savePrefs,
} from '../../lib/sessions/settings.ts';
import { unlockChime } from './chime.ts';
import { CheckField, NumberField } from '../common/Fields.tsx';
import { Dialog } from './Dialog.tsx';

const MIN = 60_000;
const toMin = (ms: number | null) => (ms === null ? '' : String(Math.round((ms / MIN) * 1000) / 1000));
const fromMin = (text: string) => Math.round(Number(text) * MIN);

interface Props {
  prefs: LocalPrefs;
  onPrefs: (p: LocalPrefs) => void;
  onClose: () => void;
  onSaved: (message: string, tone?: 'error' | 'info') => void;
}

/** The focus cycle's four numbers, in the order they are shown. */
const FOCUS_FIELDS = [
  { key: 'focus', label: 'Focus (min)', max: '240' },
  { key: 'brk', label: 'Break (min)', max: '120' },
  { key: 'long', label: 'Long break (min)', max: '120' },
  { key: 'every', label: 'Long break every', max: '12' },
] as const;

export function SettingsDialog({ prefs, onPrefs, onClose, onSaved }: Props) {
  const [idleOn, setIdleOn] = useState(true);
  const [idle, setIdle] = useState('30');
  const [stopOn, setStopOn] = useState(true);
  const [stop, setStop] = useState('120');
  const [rule, setRule] = useState<BreakRuleChoice>('none');
  const [focus, setFocus] = useState({
    focus: toMin(prefs.focus.focusMs),
    brk: toMin(prefs.focus.breakMs),
    long: toMin(prefs.focus.longBreakMs),
    every: String(prefs.focus.every),
  });
  const [focusOn, setFocusOn] = useState(prefs.focusOn);
  const [chimeOn, setChimeOn] = useState(prefs.chime);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    Promise.all([fetchIdleSettings(), fetchBreakRule().catch(() => 'none' as const)]).then(
      ([s, r]) => {
        setIdleOn(s.idleLimitMs !== null);
        if (s.idleLimitMs !== null) setIdle(toMin(s.idleLimitMs));
        setStopOn(s.autoStopIdleMs !== null);
        if (s.autoStopIdleMs !== null) setStop(toMin(s.autoStopIdleMs));
        setRule(r);
        setLoaded(true);
      },
      (e: unknown) => {
        setError(`Could not load your settings: ${errorText(e)}`);
        setLoaded(true);
      },
    );
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    const settings = { idleLimitMs: idleOn ? fromMin(idle) : null, autoStopIdleMs: stopOn ? fromMin(stop) : null };
    const problem = idleProblem(settings);
    const f = {
      focusMs: fromMin(focus.focus),
      breakMs: fromMin(focus.brk),
      longBreakMs: fromMin(focus.long),
      every: Math.round(Number(focus.every)),
    };
    const bad = (Object.keys(f) as Array<keyof typeof f>).find((k) => {
      const [lo, hi] = FOCUS_BOUNDS[k];
      return !(f[k] >= lo && f[k] <= hi);
    });
    if (problem || bad) {
      setError(
        problem ??
          `Focus: ${bad === 'every' ? 'a long break every 1 to 12 focus periods' : 'periods from 1 minute to 4 hours (breaks up to 2 hours)'}`,
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await saveIdleSettings(settings);
      await saveBreakRule(rule);
      const next = { focus: f, focusOn, chime: chimeOn };
      savePrefs(next);
      onPrefs(next);
      onSaved('Settings saved', 'info');
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Session settings" onClose={onClose} testId="settings-dialog">
      <form class="kt-form trk-settings" onSubmit={save} noValidate>
        <fieldset disabled={!loaded || busy}>
          <legend>When you step away</legend>
          <CheckField checked={idleOn} onChange={setIdleOn} testId="settings-idle-on">
            Ask “Still working?” after
          </CheckField>
          <NumberField
            label="Idle limit (minutes)"
            min="0.017"
            max="720"
            step="any"
            value={idle}
            disabled={!idleOn}
            onInput={setIdle}
            testId="settings-idle"
          />
          <CheckField checked={stopOn} onChange={setStopOn} testId="settings-autostop-on">
            Stop by itself when nobody answers
          </CheckField>
          <NumberField
            label="Auto-stop after idle (minutes)"
            min="0.017"
            max="720"
            step="any"
            value={stop}
            disabled={!stopOn}
            onInput={setStop}
            testId="settings-autostop"
          />
          <p class="kt-muted trk-dialog__note">
            An auto-stopped session ends at your last activity. Sessions still stop at 12 hours regardless.
          </p>
        </fieldset>
        <fieldset disabled={!loaded || busy}>
          <legend>Breaks</legend>
          <label class="kt-field">
            <span>Break rule (a hint on each day)</span>
            <select
              class="kt-input"
              value={rule}
              onChange={(e) => setRule((e.target as HTMLSelectElement).value as BreakRuleChoice)}
              data-testid="settings-break-rule"
            >
              <option value="none">None</option>
              <option value="de-arbzg">30 min after 6 h, 45 min after 9 h (German working-time law)</option>
            </select>
          </label>
        </fieldset>
        <fieldset disabled={busy}>
          <legend>Focus cycles (this browser)</legend>
          <CheckField checked={focusOn} onChange={setFocusOn} testId="settings-focus-on">
            Start sessions in focus mode
          </CheckField>
          <div class="trk-settings__row">
            {FOCUS_FIELDS.map((f) => (
              <NumberField
                key={f.key}
                label={f.label}
                min="1"
                max={f.max}
                value={focus[f.key]}
                onInput={(v) => setFocus({ ...focus, [f.key]: v })}
              />
            ))}
          </div>
          <label class="kt-check">
            <input
              type="checkbox"
              checked={chimeOn}
              onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                if (on) unlockChime();
                setChimeOn(on);
              }}
              data-testid="settings-chime"
            />
            Chime when a focus phase ends
          </label>
        </fieldset>
        {error ? (
          <p class="kt-alert" role="alert" data-testid="settings-error">
            {error}
          </p>
        ) : null}
        <div class="trk-dialog__actions">
          <button type="submit" class="kt-btn kt-btn--primary" disabled={!loaded || busy} data-testid="settings-save">
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" class="kt-btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
