import { z } from 'zod';
import { partnerTextRules } from './partner-field-rules.ts';

export const partnerKinds = ['customer', 'supplier'] as const;
export type PartnerKind = (typeof partnerKinds)[number];
export const partnerStatuses = ['enabled', 'disabled'] as const;
export type PartnerStatus = (typeof partnerStatuses)[number];

const money = z
  .union([z.number(), z.string()])
  .describe('Amount >= 0 with at most 2 decimals, e.g. 12500 or "12500.50"; 0 when there is no history.');
const date = z.string().describe('Date as YYYY-MM-DD.');

/** Picture upload: base64 of a JPG, PNG or GIF under 2 MB (judged by its bytes, not its name). */
export const pictureInput = z.strictObject({
  base64: z.string().max(3_000_000).describe('The image file, base64-encoded (JPG, PNG or GIF, under 2 MB).'),
  fileName: z.string().max(255).optional().describe('Original file name, for the record only.'),
});

/**
 * Every editable partner field, in the camelCase every interface uses. The since date and the
 * total are named by kind: customerSince / totalSales for customers, supplierSince /
 * totalPurchases for suppliers.
 */
export const partnerFieldsShape = {
  code: z
    .string()
    .max(partnerTextRules.code.max)
    .describe('Unique code per kind, e.g. ACME-VN; generated as CUS-000001 / SUP-000001 when omitted.'),
  firstName: z.string().max(partnerTextRules.firstName.max).describe('Contact first name (required).'),
  lastName: z.string().max(partnerTextRules.lastName.max).describe('Contact last name.'),
  email: z.string().max(partnerTextRules.email.max).describe('Contact email (required, unique per kind).'),
  phone: z
    .string()
    .max(partnerTextRules.phone.max)
    .describe('Phone; with +country code, or read in the record country, e.g. "+84 912 345 678".'),
  companyName: z
    .string()
    .max(partnerTextRules.companyName.max)
    .describe('Company name the team recognizes on orders and invoices.'),
  nickname: z.string().max(partnerTextRules.nickname.max).describe('Nickname or display name.'),
  notes: z
    .string()
    .max(partnerTextRules.notes.max)
    .describe('Internal notes for the team (never customer-facing).'),
  customerSince: date.describe(
    'Customers only: relationship start date, YYYY-MM-DD; on create, the creation day (workspace time zone) when not given.',
  ),
  supplierSince: date.describe(
    'Suppliers only: relationship start date, YYYY-MM-DD; on create, the creation day (workspace time zone) when not given.',
  ),
  totalSales: money.describe(
    'Customers only (required): total sales, >= 0, e.g. 12500.50; 0 when no history.',
  ),
  totalPurchases: money.describe('Suppliers only (required): total purchases, >= 0; 0 when no history.'),
  currency: z
    .string()
    .max(partnerTextRules.currency.max)
    .describe('ISO 4217 currency of the total, e.g. USD, EUR, VND; defaults to the workspace currency.'),
  street: z.string().max(partnerTextRules.street.max).describe('Street address.'),
  address2: z.string().max(partnerTextRules.address2.max).describe('Suite, floor, building.'),
  city: z.string().max(partnerTextRules.city.max).describe('City or town.'),
  state: z.string().max(partnerTextRules.state.max).describe('State, province or region.'),
  postalCode: z.string().max(partnerTextRules.postalCode.max).describe('ZIP or postal code.'),
  country: z
    .string()
    .max(partnerTextRules.country.max)
    .describe('Country as ISO code or English name: "VN", "VNM", "Vietnam" and "Viet Nam" all work.'),
  website: z.string().max(partnerTextRules.website.max).describe('Website, e.g. www.acme.com.'),
  employees: z.number().int().describe('Number of employees, >= 0.'),
  approved: z.boolean().describe('Approved for use (default true); unapproved partners block order sharing.'),
  accessGroups: z
    .array(z.string().max(64))
    .max(20)
    .describe('Access groups that may see this record, e.g. ["eu-sales"]; empty = everyone.'),
  blockNonCompliantOrders: z
    .boolean()
    .describe('Block order sharing when compliance items fail (default false).'),
  notifyOnComplianceBreach: z
    .boolean()
    .describe('Post a notification when a compliance breach is found (default false).'),
  picture: pictureInput.describe('Profile picture (JPG, PNG or GIF under 2 MB).'),
};

export type PartnerFieldName = keyof typeof partnerFieldsShape;

const changeShape = Object.fromEntries(
  Object.entries(partnerFieldsShape).map(([key, schema]) => [key, schema.nullable().optional()]),
) as { [K in PartnerFieldName]: z.ZodOptional<z.ZodNullable<(typeof partnerFieldsShape)[K]>> };

/** Input of create: kind, the fields (null = not given), and the terms and privacy confirmation. */
export const createPartnerInput = z.strictObject({
  kind: z.enum(partnerKinds).describe('customer (buys from us) or supplier (we buy from them).'),
  ...changeShape,
  termsAccepted: z
    .boolean()
    .describe('Must be true: the terms and privacy confirmation the person creating the record accepts.'),
});
export type CreatePartnerInput = z.infer<typeof createPartnerInput>;

/** Changes of an edit: only the fields to change; null or "" clears an optional field. */
export const partnerChangesInput = z.strictObject(changeShape);
export type PartnerChanges = z.infer<typeof partnerChangesInput>;
