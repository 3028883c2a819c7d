/** Live / History tabs over the control panel; the tab lives in the URL hash so a reload keeps it. */
import { useEffect, useState } from 'preact/hooks';

type PanelTab = 'live' | 'history';

const fromHash = (): PanelTab => (location.hash === '#history' ? 'history' : 'live');

export function usePanelTab(): [PanelTab, (t: PanelTab) => void] {
  const [tab, setTab] = useState<PanelTab>(fromHash);
  useEffect(() => {
    const onHash = () => setTab(fromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const choose = (t: PanelTab) => {
    history.replaceState(null, '', t === 'history' ? '#history' : location.pathname + location.search);
    setTab(t);
  };
  return [tab, choose];
}

const tabs: Array<{ id: PanelTab; text: string }> = [
  { id: 'live', text: 'Live' },
  { id: 'history', text: 'History' },
];

export function PanelTabs({ tab, onChange }: { tab: PanelTab; onChange: (t: PanelTab) => void }) {
  return (
    <div class="ctl-tabs" role="tablist" aria-label="Control panel">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={`panel-${t.id}`}
          class="ctl-tabs__tab"
          onClick={() => onChange(t.id)}
          data-testid={`tab-${t.id}`}
        >
          {t.text}
        </button>
      ))}
    </div>
  );
}
