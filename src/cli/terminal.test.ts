import { describe, expect, it } from 'vitest';
import type { PartnerRowView } from '../directory/partners/partner-view.ts';
import { complianceState, plainRow, renderRows } from './partner-output.ts';
import { money, type OutputStream, plural, type TerminalStyle, terminalStyle } from './terminal.ts';

const row: PartnerRowView = {
  id: '00000000-0000-4000-8000-000000000001',
  code: 'SUP-000001',
  kind: 'supplier',
  status: 'enabled',
  firstName: 'Nguyễn',
  lastName: 'Văn An',
  companyName: 'Đà Nẵng Textiles',
  email: 'an@example.vn',
  phone: null,
  city: 'Đà Nẵng',
  country: 'VN',
  countryName: 'Viet Nam',
  supplierSince: '2020-01-01',
  totalPurchases: 37210.4,
  currency: 'USD',
  ordersCount: 1,
  lastOrderDate: '2026-11-02',
  activity: 'active',
  isNew: false,
};

describe('terminalStyle', () => {
  it.each([
    [
      { isTTY: true, hasColors: (): boolean => true, columns: 120 },
      { tty: true, colour: true, columns: 120 },
    ],
    // NO_COLOR set: Node's hasColors() answers false.
    [
      { isTTY: true, hasColors: (): boolean => false },
      { tty: true, colour: false, columns: 100 },
    ],
    // Piped or redirected: no isTTY, never colour even if something claims colours.
    [{ hasColors: (): boolean => true }, { tty: false, colour: false, columns: 100 }],
    [{}, { tty: false, colour: false, columns: 100 }],
  ] as [OutputStream, TerminalStyle][])('decides %j as %j', (stream, style) => {
    expect(terminalStyle(stream)).toEqual(style);
  });
});

describe('renderRows', () => {
  it('draws an aligned table with the guide columns on a terminal', () => {
    const text = renderRows([row], { tty: true, colour: false, columns: 120 });
    expect(text).toMatch(/^┌/);
    expect(text).toMatch(/│ Code +│ Name +│ Company +│ City +│ Country +│ +Total │ Orders │ Last order │/);
    expect(text).toContain('│ USD 37,210.40 │');
    expect(text).not.toContain('\u001b[');
  });

  it('writes one stable line per row when piped', () => {
    expect(renderRows([row], { tty: false, colour: false, columns: 100 })).toBe(plainRow(row));
    expect(plainRow(row)).toBe(
      'SUP-000001 · Nguyễn Văn An · Đà Nẵng Textiles · Đà Nẵng, Viet Nam · USD 37,210.40 · 1 order, last 2026-11-02',
    );
  });
});

describe('terminal words', () => {
  it('writes money with two decimals and thousands separators, and counts with their noun', () => {
    expect(money(37210.4, 'USD')).toBe('USD 37,210.40');
    expect(money(50000, 'VND')).toBe('VND 50,000.00');
    expect(plural(1, 'order')).toBe('1 order');
    expect(plural(8582, 'match', 'matches')).toBe('8,582 matches');
  });

  it.each([
    ['2026-06-14', 'expired'],
    ['2026-06-15', 'expiring'],
    ['2026-07-15', 'expiring'],
    ['2026-07-16', 'valid'],
  ] as const)('flags a compliance item valid to %s as %s on 2026-06-15 (30-day window)', (validTo, state) => {
    expect(complianceState(validTo, { today: '2026-06-15', windowDays: 30 })).toBe(state);
  });
});
