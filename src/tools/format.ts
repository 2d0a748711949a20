import { type PartnerRowView, type PartnerView, totalOf } from '../directory/partners/partner-view.ts';

/** "Nguyễn Văn An (Đà Nẵng Textiles)": how a record is named in one line. */
export function partnerLabel(
  partner: Pick<PartnerRowView, 'code' | 'firstName' | 'lastName' | 'companyName'>,
): string {
  const person = `${partner.firstName} ${partner.lastName ?? ''}`.trim();
  return `${partner.code} ${person}${partner.companyName ? ` (${partner.companyName})` : ''}`;
}

export function money(amount: number | undefined, currency: string): string {
  return `${currency} ${(amount ?? 0).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;
}

/** One compact line per search row, for model context and terminals. */
export function rowLine(row: PartnerRowView): string {
  const place = [row.city, row.countryName].filter(Boolean).join(', ');
  return `- ${partnerLabel(row)}${place ? ` · ${place}` : ''} · ${money(totalOf(row), row.currency)} · ${row.ordersCount} orders${row.lastOrderDate ? `, last ${row.lastOrderDate}` : ''}${row.status === 'disabled' ? ' · disabled' : ''}`;
}

export function recordLine(partner: PartnerView): string {
  return `${partnerLabel(partner)}, ${partner.kind}, ${partner.status}, version ${partner.version}`;
}

/** "1,234", "about 48,000" (an estimate) or "more than 10,000" (a lower bound). */
export function describeTotal(result: {
  total: number;
  totalIsExact: boolean;
  totalIsEstimate: boolean;
}): string {
  const count = result.total.toLocaleString('en-US');
  if (result.totalIsExact) return count;
  return result.totalIsEstimate ? `about ${count}` : `more than ${count}`;
}
