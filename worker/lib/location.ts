/**
 * Where a new Durable Object should live. An object is placed near the first
 * request that creates it; a location hint makes that explicit for objects
 * created by one person for an audience (a timer room near its owner, whose
 * control panel is the latency-sensitive client). The hint only matters at
 * creation; later `get()`s of the same id reach the object wherever it lives.
 */

/** Cloudflare's location hints (https://developers.cloudflare.com/durable-objects/reference/data-location/). */
type LocationHint = 'wnam' | 'enam' | 'sam' | 'weur' | 'eeur' | 'apac' | 'oc' | 'afr' | 'me';

/** Longitude splits North America and Europe into west and east, as the hints do. */
export function locationHintFor(props: unknown): LocationHint | undefined {
  if (!props || typeof props !== 'object') return undefined;
  const cf = props as { continent?: unknown; longitude?: unknown; country?: unknown };
  if (typeof cf.continent !== 'string') return undefined;
  const lon = Number(cf.longitude);
  switch (cf.continent) {
    case 'NA':
      return Number.isFinite(lon) && lon > -100 ? 'enam' : 'wnam';
    case 'SA':
      return 'sam';
    case 'EU':
      return Number.isFinite(lon) && lon > 20 ? 'eeur' : 'weur';
    case 'AS':
      return ['AE', 'SA', 'QA', 'KW', 'BH', 'OM', 'IL', 'JO', 'IQ', 'IR', 'TR'].includes(String(cf.country))
        ? 'me'
        : 'apac';
    case 'OC':
      return 'oc';
    case 'AF':
      return 'afr';
    default:
      return undefined;
  }
}
