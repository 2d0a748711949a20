import type { PartnerKind } from './partner-schema.ts';

/** How one text field of a partner is read: its label for people, its length limit, and its shape. */
export interface TextFieldRule {
  label: string;
  /** Characters after normalization (NFC, trimmed); the zod schema and the database use the same number. */
  max: number;
  /** Line breaks allowed (notes). */
  multiline?: boolean;
  /** A person's or company's name: must contain a visible character. */
  name?: boolean;
}

/**
 * The one table of partner text fields. The zod input schema, the normalizer, the database
 * length checks (src/db/schema/partners.ts) and the assistant's create path all read it;
 * partner-field-rules.test.ts compares it with the constraints the migrations created.
 */
export const partnerTextRules = {
  code: { label: 'Code', max: 32 },
  firstName: { label: 'First name', max: 100, name: true },
  lastName: { label: 'Last name', max: 100, name: true },
  email: { label: 'Email', max: 254 },
  phone: { label: 'Phone', max: 40 },
  companyName: { label: 'Company name', max: 200, name: true },
  nickname: { label: 'Nickname', max: 100, name: true },
  notes: { label: 'Notes', max: 5000, multiline: true },
  street: { label: 'Street', max: 200 },
  address2: { label: 'Address line 2', max: 200 },
  city: { label: 'City', max: 100 },
  state: { label: 'State', max: 100 },
  postalCode: { label: 'Postal code', max: 20 },
  country: { label: 'Country', max: 80 },
  website: { label: 'Website', max: 500 },
  currency: { label: 'Currency', max: 8 },
} as const satisfies Record<string, TextFieldRule>;

export type PartnerTextField = keyof typeof partnerTextRules;

/** Required on create, and never cleared by an edit. */
export const requiredPartnerFields = ['firstName', 'email', 'total'] as const;

/**
 * What is named by kind, the one table: the since date and the total (customerSince / totalSales,
 * supplierSince / totalPurchases) with their labels, and the prefix of generated codes.
 */
export const kindFieldNames = {
  customer: {
    since: 'customerSince',
    sinceLabel: 'Customer since',
    total: 'totalSales',
    totalLabel: 'Total sales',
    codePrefix: 'CUS',
  },
  supplier: {
    since: 'supplierSince',
    sinceLabel: 'Supplier since',
    total: 'totalPurchases',
    totalLabel: 'Total purchases',
    codePrefix: 'SUP',
  },
} as const satisfies Record<
  PartnerKind,
  { since: string; sinceLabel: string; total: string; totalLabel: string; codePrefix: string }
>;

export const sinceField = (kind: PartnerKind) => kindFieldNames[kind].since;
export const totalField = (kind: PartnerKind) => kindFieldNames[kind].total;
export const totalLabel = (kind: PartnerKind) => kindFieldNames[kind].totalLabel;

/** A generated code: the kind's prefix and the number in six digits (CUS-000001, SUP-000123). */
export function generatedCode(kind: PartnerKind, number: number | string): string {
  return `${kindFieldNames[kind].codePrefix}-${String(number).padStart(6, '0')}`;
}
