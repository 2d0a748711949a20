import Table from 'cli-table3';
import type { z } from 'zod';
import { addDays } from '../directory/activity/clock.ts';
import { hasExpired } from '../directory/activity/window.ts';
import { kindFieldNames } from '../directory/partners/partner-field-rules.ts';
import type { partnerDetail } from '../directory/partners/partner-read.ts';
import { type PartnerRowView, sinceOf, totalOf } from '../directory/partners/partner-view.ts';
import { count, money, paint, plural, type TerminalStyle } from './terminal.ts';

type Detail = z.infer<typeof partnerDetail>;

const personOf = (row: Pick<PartnerRowView, 'firstName' | 'lastName'>) =>
  `${row.firstName} ${row.lastName ?? ''}`.trim();

/** The search table's columns, in the guide's order. */
export const searchColumns = ['Code', 'Name', 'Company', 'City', 'Country', 'Total', 'Orders', 'Last order'];

/** The cells of one search row (the table's and the plain line's alike). */
function rowCells(row: PartnerRowView): string[] {
  return [
    row.code,
    personOf(row),
    row.companyName ?? '',
    row.city ?? '',
    row.countryName ?? row.country ?? '',
    money(totalOf(row), row.currency),
    count(row.ordersCount),
    row.lastOrderDate ?? '',
  ];
}

/**
 * Search rows for a person: an aligned table on a terminal; one stable line per row otherwise
 * (code first, fields separated by " · ", so `grep` and `cut` work).
 */
export function renderRows(rows: readonly PartnerRowView[], style: TerminalStyle): string {
  if (!rows.length) return '';
  if (!style.tty) return rows.map(plainRow).join('\n');
  const colours = paint(style);
  const table = new Table({
    head: searchColumns.map((c) => colours.bold(c)),
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'left'],
    wordWrap: true,
  });
  for (const row of rows) {
    const cells = rowCells(row);
    if (row.status === 'disabled') cells[0] = `${cells[0]} ${colours.dim('(disabled)')}`;
    table.push(cells);
  }
  return table.toString();
}

/** One search row as a line: "CUS-000001 · Name · Company · City, Country · USD 1.00 · 3 orders, last 2026-11-02". */
export function plainRow(row: PartnerRowView): string {
  const place = [row.city, row.countryName ?? row.country].filter(Boolean).join(', ');
  return [
    row.code,
    personOf(row),
    row.companyName,
    place,
    money(totalOf(row), row.currency),
    `${plural(row.ordersCount, 'order')}${row.lastOrderDate ? `, last ${row.lastOrderDate}` : ''}`,
    row.status === 'disabled' ? 'disabled' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Whether a compliance item's validity has ended, ends within the window, or is fine, on `today`. */
export function complianceState(
  validTo: string,
  options: { today: string; windowDays: number },
): 'expired' | 'expiring' | 'valid' {
  if (hasExpired(validTo, options.today)) return 'expired';
  return validTo <= addDays(options.today, options.windowDays) ? 'expiring' : 'valid';
}

/**
 * One record for a person, like the Slack card: who, how to reach them, the address, money and
 * activity, compliance items flagged expired / expiring (within `windowDays` of `today`), and
 * the recent orders. Audit diffs are left to --json and `partnerbook call partner_history`.
 */
export function renderCard(
  partner: Detail,
  options: { style: TerminalStyle; today: string; windowDays: number },
): string {
  const colours = paint(options.style);
  const names = kindFieldNames[partner.kind];
  const since = sinceOf(partner);
  const address = [
    partner.street,
    partner.address2,
    [partner.postalCode, partner.city].filter(Boolean).join(' '),
    partner.state,
    partner.countryName,
  ]
    .filter(Boolean)
    .join(', ');
  const flags = [
    partner.kind,
    partner.status === 'disabled' ? colours.red('disabled') : 'enabled',
    partner.activity,
    partner.isNew ? 'new' : undefined,
  ].filter(Boolean);
  const field = (label: string, value: string | null | undefined) =>
    value ? `  ${`${label}:`.padEnd(17)}${value}` : undefined;
  const lines: (string | undefined)[] = [
    `${colours.bold(partner.code)}  ${personOf(partner)}${partner.companyName ? ` · ${partner.companyName}` : ''}  (${flags.join(', ')})`,
    field('Email', partner.email),
    field('Phone', partner.phone),
    field('Website', partner.website),
    field('Address', address),
    field(names.totalLabel, money(totalOf(partner), partner.currency)),
    field(
      'Orders',
      `${count(partner.ordersCount)}${partner.lastOrderDate ? `, last on ${partner.lastOrderDate}` : ''}`,
    ),
    field(names.sinceLabel, since ?? 'not set'),
    field('Access groups', partner.accessGroups.join(', ')),
    field(
      'Disabled',
      partner.disabledAt ? `${partner.disabledAt.slice(0, 10)} ${partner.disabledReason ?? ''}` : '',
    ),
    field('Notes', partner.notes),
    field(
      'Updated',
      `${partner.updatedAt.slice(0, 10)} by ${partner.updatedBy} (version ${partner.version})`,
    ),
  ];
  lines.push('', `  Compliance items${partner.complianceItems.length ? '' : ': none'}`);
  for (const item of partner.complianceItems) {
    const state = complianceState(item.validTo, options);
    const mark =
      state === 'expired'
        ? colours.red('EXPIRED')
        : state === 'expiring'
          ? colours.yellow(`expires within ${options.windowDays} days`)
          : 'valid';
    lines.push(
      `    ${item.name}: ${item.validFrom ? `${item.validFrom} to ` : 'to '}${item.validTo} (${mark})`,
    );
  }
  lines.push('', `  Recent orders${partner.recentOrders.length ? '' : ': none yet'}`);
  for (const order of partner.recentOrders)
    lines.push(
      `    ${order.orderDate}  ${order.reference}  ${money(order.amount, partner.currency)}${order.etd ? `  ETD ${order.etd}` : ''}`,
    );
  return lines.filter((line) => line !== undefined).join('\n');
}
