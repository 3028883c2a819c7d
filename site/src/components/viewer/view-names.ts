/** The viewer's views, chosen per link with `?view=<name>`: each is its own page-sized component and JS chunk. */

export const VIEW_NAMES = ['countdown', 'presenter', 'agenda', 'clock'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** The view a query asks for: an unknown name falls back to the countdown and is reported (never a blank page). */
export interface ViewChoice {
  name: ViewName;
  /** The name asked for when it was not a view (shown in a small notice), else null. */
  unknown: string | null;
}

/** Reads `?view=` from a query string (`location.search`); absent or empty is the countdown. */
export function pickView(search: string): ViewChoice {
  const asked = new URLSearchParams(search).get('view')?.trim() ?? '';
  if (!asked) return { name: 'countdown', unknown: null };
  const name = asked.toLowerCase();
  return (VIEW_NAMES as readonly string[]).includes(name)
    ? { name: name as ViewName, unknown: null }
    : { name: 'countdown', unknown: asked.slice(0, 40) };
}
