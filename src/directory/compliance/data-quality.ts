import type { PartnerRow } from '../../db/schema/index.ts';
import { sinceField, totalField } from '../partners/partner-field-rules.ts';

/** One failed item of the checklist: the field to fix (kind-named) and what to do. */
export interface DataQualityProblem {
  field: string;
  problem: string;
}

type Row = Pick<
  PartnerRow,
  | 'kind'
  | 'companyName'
  | 'phone'
  | 'country'
  | 'city'
  | 'postalCode'
  | 'website'
  | 'since'
  | 'total'
  | 'ordersCount'
>;

type Check = (row: Row) => DataQualityProblem | undefined;

/** A check that the column is filled in. */
const filled =
  (field: 'phone' | 'country' | 'city' | 'postalCode' | 'website', problem: string): Check =>
  (row) =>
    row[field] ? undefined : { field, problem };

/**
 * The product guide's Data Quality Checklist ("use this checklist when adding or reviewing
 * records"), the one list: create_partner warns with it, check_compliance reports it.
 * Email is required on every record, so it is never missing here.
 */
const checklist: Check[] = [
  (row) =>
    !row.companyName
      ? {
          field: 'companyName',
          problem: 'Company name is missing; add the name the team recognizes on orders and invoices.',
        }
      : !/\p{L}{2,}/u.test(row.companyName)
        ? { field: 'companyName', problem: `Company name "${row.companyName}" is not recognizable.` }
        : undefined,
  filled('phone', 'Phone is missing.'),
  filled('country', 'Country is missing; add it for filtering, tariffs and compliance.'),
  filled('city', 'City is missing; add it for shipping and regional reports.'),
  filled('postalCode', 'Postal code is missing; add it for shipping documents.'),
  filled('website', 'Website is missing; add it when the company has one.'),
  (row) => (row.since ? undefined : { field: sinceField(row.kind), problem: 'Since date is missing.' }),
  (row) =>
    Number(row.total) === 0 && row.ordersCount > 0
      ? {
          field: totalField(row.kind),
          problem: `Total is 0 although ${row.ordersCount} order(s) are recorded.`,
        }
      : undefined,
];

/** The checklist items a record fails, in checklist order. */
export function dataQualityProblems(row: Row): DataQualityProblem[] {
  return checklist.flatMap((check) => check(row) ?? []);
}
