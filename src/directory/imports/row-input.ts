import type { FieldProblem } from '../errors.ts';
import { kindFieldNames } from '../partners/partner-field-rules.ts';
import { type PartnerChanges, type PartnerKind, partnerChangesInput } from '../partners/partner-schema.ts';
import { zodProblems } from '../zod-problems.ts';
import type { ColumnPlan, ImportField } from './header-map.ts';
import type { SheetRow } from './import-rows.ts';

/** Our exports prefix a cell starting with = + - @ tab, CR or LF with ' (CSV injection); read it back without. */
export function unneutralize(cell: string): string {
  return /^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell;
}

const trueWords = new Set(['true', 'yes', 'y', '1', 'x', 'on']);
const falseWords = new Set(['false', 'no', 'n', '0', 'off']);

/** "Anna Nguyen" -> Anna / Nguyen; a single word is the first name only. */
export function splitFullName(name: string): { firstName: string; lastName?: string } {
  const parts = name.trim().split(/\s+/u);
  const [first, ...rest] = parts;
  return rest.length ? { firstName: first!, lastName: rest.join(' ') } : { firstName: first ?? '' };
}

/** The changes a row stands for, before the create/update rules: only the non-empty cells. */
export interface RowInput {
  changes: PartnerChanges;
  problems: FieldProblem[];
}

/**
 * Turns one row into partner changes by the column plan: blank cells are left out (an import
 * never clears a field), numbers and yes/no read as such, access groups split on , or ;. The
 * result is checked by the same input schema as create_partner and update_partner.
 */
export function rowInput(options: { row: SheetRow; plan: ColumnPlan; kind: PartnerKind }): RowInput {
  const { row, plan, kind } = options;
  const problems: FieldProblem[] = [];
  const names = kindFieldNames[kind];
  const raw: Record<string, unknown> = {};
  const formulas = new Set(row.formulas ?? []);
  const cell = (field: ImportField): string | undefined => {
    const index = plan.fieldColumns.get(field);
    if (index === undefined) return undefined;
    if (formulas.has(index)) {
      problems.push({
        field,
        code: 'formula',
        message: `The ${field} cell holds a formula; formulas are not imported (copy and paste the values).`,
      });
      return undefined;
    }
    const text = unneutralize(row.cells[index] ?? '');
    return text.trim() === '' ? undefined : text;
  };
  for (const field of plan.fieldColumns.keys()) {
    const value = cell(field);
    if (value === undefined) continue;
    switch (field) {
      case 'name': {
        const split = splitFullName(value);
        raw.firstName ??= split.firstName;
        if (split.lastName) raw.lastName ??= split.lastName;
        break;
      }
      case 'firstName':
      case 'lastName':
        raw[field] = value;
        break;
      case 'countryCode':
        raw.country = value;
        break;
      case 'since':
        raw[names.since] = value;
        break;
      case 'total':
        raw[names.total] = value;
        break;
      case 'employees': {
        const digits = value.replace(/[\s,]/g, '');
        raw.employees = /^\d+$/.test(digits) ? Number(digits) : value;
        break;
      }
      case 'approved':
      case 'blockNonCompliantOrders':
      case 'notifyOnComplianceBreach': {
        const word = value.trim().toLowerCase();
        raw[field] = trueWords.has(word) ? true : falseWords.has(word) ? false : value;
        break;
      }
      case 'accessGroups':
        raw.accessGroups = value
          .split(/[,;]/)
          .map((group) => group.trim())
          .filter(Boolean);
        break;
      default:
        raw[field] = value;
    }
  }
  const parsed = partnerChangesInput.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(parsed.error, raw, partnerChangesInput));
    return { changes: {}, problems };
  }
  return { changes: parsed.data, problems };
}
