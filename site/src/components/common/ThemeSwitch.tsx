/** The theme switch in the site footer: System, Light or Dark, remembered on this device. */
import { useEffect, useState } from 'preact/hooks';
import {
  THEME_PREFS,
  type ThemePref,
  applyTheme,
  isThemePref,
  readThemePref,
  saveThemePref,
  watchSystemTheme,
} from '../../lib/theme/theme.ts';

const LABEL: Record<ThemePref, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export default function ThemeSwitch() {
  const [pref, setPref] = useState<ThemePref>(readThemePref);
  // "System" follows the device as it changes (an evening switch to dark mode).
  useEffect(() => (pref === 'system' ? watchSystemTheme(applyTheme) : undefined), [pref]);
  return (
    <label class="kt-theme" data-testid="theme-switch">
      <span>Theme</span>
      <select
        class="kt-theme__select"
        value={pref}
        data-testid="theme-select"
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (!isThemePref(v)) return;
          saveThemePref(v);
          setPref(v);
        }}
      >
        {THEME_PREFS.map((p) => (
          <option key={p} value={p}>
            {LABEL[p]}
          </option>
        ))}
      </select>
    </label>
  );
}
