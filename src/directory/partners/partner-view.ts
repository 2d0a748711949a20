import { z } from 'zod';
import type { PartnerRow } from '../../db/schema/index.ts';
import { type ActivityWindow, activityDefinitions, activityOf, activityRules } from '../activity/window.ts';
import { countryName } from '../values/country.ts';
import { kindFieldNames } from './partner-field-rules.ts';
import { type PartnerKind, partnerKinds, partnerStatuses } from './partner-schema.ts';

const nullableText = z.string().nullable();

/** The full record as every interface shows it (since and total named by kind). */
export const partnerView = z.object({
  id: z.uuid(),
  code: z.string(),
  kind: z.enum(partnerKinds),
  status: z.enum(partnerStatuses),
  approved: z.boolean(),
  firstName: z.string(),
  lastName: nullableText,
  email: z.string(),
  phone: nullableText,
  companyName: nullableText,
  nickname: nullableText,
  notes: nullableText,
  customerSince: nullableText.optional().describe('Customers only.'),
  supplierSince: nullableText.optional().describe('Suppliers only.'),
  totalSales: z.number().optional().describe('Customers only.'),
  totalPurchases: z.number().optional().describe('Suppliers only.'),
  currency: z.string(),
  street: nullableText,
  address2: nullableText,
  city: nullableText,
  state: nullableText,
  postalCode: nullableText,
  country: nullableText.describe('ISO 3166-1 alpha-2 code.'),
  countryName: nullableText,
  website: nullableText,
  employees: z.number().int().nullable(),
  ordersCount: z.number().int(),
  lastOrderDate: nullableText,
  activity: z.enum(['active', 'inactive']).describe(`active: ${activityDefinitions.active}.`),
  isNew: z.boolean().describe(`new: ${activityDefinitions.new}.`),
  accessGroups: z.array(z.string()),
  blockNonCompliantOrders: z.boolean(),
  notifyOnComplianceBreach: z.boolean(),
  hasPicture: z.boolean(),
  termsAcceptedAt: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
  disabledAt: nullableText,
  disabledReason: nullableText,
});
export type PartnerView = z.infer<typeof partnerView>;

/** A compact search row: enough for a table or a model's context (get_partner gives the rest). */
export const partnerRowView = partnerView.pick({
  id: true,
  code: true,
  kind: true,
  status: true,
  firstName: true,
  lastName: true,
  companyName: true,
  email: true,
  phone: true,
  city: true,
  country: true,
  countryName: true,
  customerSince: true,
  supplierSince: true,
  totalSales: true,
  totalPurchases: true,
  currency: true,
  ordersCount: true,
  lastOrderDate: true,
  activity: true,
  isNew: true,
});
export type PartnerRowView = z.infer<typeof partnerRowView>;

/** The kind-named since and total of a record, as the views name them. */
export type KindNamedFields = Pick<
  PartnerView,
  'customerSince' | 'supplierSince' | 'totalSales' | 'totalPurchases'
>;

/**
 * The stored since/total under their kind's names (kindFieldNames): { customerSince, totalSales }
 * for a customer, { supplierSince, totalPurchases } for a supplier.
 */
export function kindFields(row: Pick<PartnerRow, 'kind' | 'since' | 'total'>): KindNamedFields {
  const names = kindFieldNames[row.kind];
  return { [names.since]: row.since, [names.total]: Number(row.total) } as KindNamedFields;
}

/** A view's since date, whatever its kind calls it. */
export function sinceOf(partner: KindNamedFields & { kind: PartnerKind }): string | null {
  return partner[kindFieldNames[partner.kind].since] ?? null;
}

/** A view's total (sales or purchases), whatever its kind calls it. */
export function totalOf(partner: KindNamedFields & { kind: PartnerKind }): number {
  return partner[kindFieldNames[partner.kind].total] ?? 0;
}

/** Maps a stored row to the public record, its activity as of `window`. */
export function toPartnerView(
  row: PartnerRow,
  options: { window: ActivityWindow; hasPicture: boolean },
): PartnerView {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    status: row.status,
    approved: row.approved,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    companyName: row.companyName,
    nickname: row.nickname,
    notes: row.notes,
    ...kindFields(row),
    currency: row.currency,
    street: row.street,
    address2: row.address2,
    city: row.city,
    state: row.state,
    postalCode: row.postalCode,
    country: row.country,
    countryName: row.country ? countryName(row.country) : null,
    website: row.website,
    employees: row.employees,
    ordersCount: row.ordersCount,
    lastOrderDate: row.lastOrderDate,
    activity: activityOf(row, options.window),
    isNew: activityRules.new.matches(row, options.window),
    accessGroups: row.accessGroups,
    blockNonCompliantOrders: row.blockNonCompliantOrders,
    notifyOnComplianceBreach: row.notifyOnComplianceBreach,
    hasPicture: options.hasPicture,
    termsAcceptedAt: row.termsAcceptedAt.toISOString(),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    disabledAt: row.disabledAt ? row.disabledAt.toISOString() : null,
    disabledReason: row.disabledReason,
  };
}

/** Maps a stored row to a compact search row. */
export function toPartnerRowView(
  row: Pick<
    PartnerRow,
    | 'id'
    | 'code'
    | 'kind'
    | 'status'
    | 'firstName'
    | 'lastName'
    | 'companyName'
    | 'email'
    | 'phone'
    | 'city'
    | 'country'
    | 'since'
    | 'total'
    | 'currency'
    | 'ordersCount'
    | 'lastOrderDate'
  >,
  window: ActivityWindow,
): PartnerRowView {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    status: row.status,
    firstName: row.firstName,
    lastName: row.lastName,
    companyName: row.companyName,
    email: row.email,
    phone: row.phone,
    city: row.city,
    country: row.country,
    countryName: row.country ? countryName(row.country) : null,
    ...kindFields(row),
    currency: row.currency,
    ordersCount: row.ordersCount,
    lastOrderDate: row.lastOrderDate,
    activity: activityOf(row, window),
    isNew: activityRules.new.matches(row, window),
  };
}
