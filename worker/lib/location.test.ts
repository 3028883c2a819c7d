import { describe, expect, it } from 'vitest';
import { locationHintFor } from './location.ts';

describe('locationHintFor', () => {
  it('maps the request colo continent to a Durable Object location hint', () => {
    expect(locationHintFor({ continent: 'NA', longitude: '-122.4' })).toBe('wnam');
    expect(locationHintFor({ continent: 'NA', longitude: '-74.0' })).toBe('enam');
    expect(locationHintFor({ continent: 'EU', longitude: '2.35' })).toBe('weur');
    expect(locationHintFor({ continent: 'EU', longitude: '30.5' })).toBe('eeur');
    expect(locationHintFor({ continent: 'AS', country: 'JP' })).toBe('apac');
    expect(locationHintFor({ continent: 'AS', country: 'AE' })).toBe('me');
    expect(locationHintFor({ continent: 'OC' })).toBe('oc');
    expect(locationHintFor({ continent: 'AF' })).toBe('afr');
    expect(locationHintFor({ continent: 'SA' })).toBe('sam');
  });

  it('gives no hint when the request has no location (local dev, tests)', () => {
    expect(locationHintFor(undefined)).toBeUndefined();
    expect(locationHintFor({})).toBeUndefined();
    expect(locationHintFor({ continent: 'AN' })).toBeUndefined();
  });
});
