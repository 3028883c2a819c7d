import { describe, expect, it } from 'vitest';
import { STORED_SUMMARY_LIMITS, type AuditSummary, storedSummary } from './summary.ts';

const summaryOf = (items: number, dupItems = 2): AuditSummary => ({
  total_items: items,
  verified_items: items,
  damage_items: 0,
  pending_items: 0,
  duration_seconds: 60,
  items_per_minute: items,
  expected_total: 0,
  scanned_total: items,
  missing: [],
  unexpected: Array.from({ length: items }, (_, i) => `I${i}`),
  duplicate_serials: [{ serial: 'S', item_codes: Array.from({ length: dupItems }, (_, i) => `I${i}`) }],
  variance: Array.from({ length: items }, (_, i) => ({
    item_code: `I${i}`,
    expected_qty: 1,
    scanned_qty: i === items - 1 ? 2 : 1,
    variance: i === items - 1 ? 1 : 0,
  })),
});

describe('storedSummary', () => {
  it('keeps a small summary as it is', () => {
    const s = summaryOf(10);
    expect(storedSummary(s)).toBe(s);
  });

  it('cuts every list of a large one, keeps the counts, puts the items that are off first and says so', () => {
    const s = summaryOf(5_000, 50);
    const stored = storedSummary(s);
    expect(stored.truncated).toBe(true);
    expect(stored.total_items).toBe(5_000);
    expect(stored.unexpected).toHaveLength(STORED_SUMMARY_LIMITS.entries);
    expect(stored.variance).toHaveLength(STORED_SUMMARY_LIMITS.entries);
    expect(stored.variance[0]).toMatchObject({ item_code: 'I4999', variance: 1 });
    expect(stored.duplicate_serials[0]?.item_codes).toHaveLength(STORED_SUMMARY_LIMITS.itemsPerSerial);
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(s).length / 5);
  });
});
