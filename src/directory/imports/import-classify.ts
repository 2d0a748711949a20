import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type PartnerRow, partners } from '../../db/schema/index.ts';
import type { Principal } from '../access/principal.ts';
import { canSeeGroups } from '../access/visibility.ts';
import type { FieldProblem } from '../errors.ts';
import { totalField } from '../partners/partner-field-rules.ts';
import {
  type NormalizedFields,
  normalizePartnerFields,
  type PartnerValues,
} from '../partners/partner-fields.ts';
import type { PartnerChanges, PartnerKind } from '../partners/partner-schema.ts';
import { checkGroups } from '../partners/partner-write-checks.ts';
import type { ColumnPlan } from './header-map.ts';
import type { SheetRow } from './import-rows.ts';
import { rowInput } from './row-input.ts';

/** A row read and checked on its own (no database yet): its changes and its create-mode values. */
export interface PreparedRow {
  row: SheetRow;
  changes: PartnerChanges;
  /** Problems of the row itself (formula cells, input shape). */
  problems: FieldProblem[];
  /** The row read as a new record by create's rules. */
  asNew: NormalizedFields;
  email?: string;
  code?: string;
}

export type RowOutcome =
  | { type: 'create'; prepared: PreparedRow; values: PartnerValues }
  /** `current` is absent only when checking without writing: the record an earlier row of the file creates. */
  | { type: 'update'; prepared: PreparedRow; current?: PartnerRow; values: PartnerValues }
  | { type: 'unchanged'; prepared: PreparedRow; current: PartnerRow }
  | { type: 'rejected'; prepared: PreparedRow; problems: FieldProblem[] };

export interface ClassifyOptions {
  kind: PartnerKind;
  principal: Principal;
  match?: 'code' | 'email';
  plan: ColumnPlan;
}

/** Reads one row by create's rules (the file's lack of a total column gives new records 0). */
export function prepareRow(row: SheetRow, options: ClassifyOptions): PreparedRow {
  const { kind, plan } = options;
  const { changes, problems } = rowInput({ row, plan, kind });
  const total = totalField(kind);
  const createInput =
    plan.fieldColumns.has('total') || changes[total] !== undefined ? changes : { ...changes, [total]: 0 };
  const asNew = normalizePartnerFields({ kind, input: createInput });
  return {
    row,
    changes,
    problems,
    asNew,
    ...(asNew.values.email ? { email: asNew.values.email } : {}),
    ...(asNew.values.code ? { code: asNew.values.code } : {}),
  };
}

/** The keys a row claims within its kind: `e:` email and `c:` code. */
export function rowKeys(prepared: PreparedRow): string[] {
  return [
    ...(prepared.email ? [`e:${prepared.email}`] : []),
    ...(prepared.code ? [`c:${prepared.code}`] : []),
  ];
}

function takenProblem(
  field: 'email' | 'code',
  value: string,
  existing: PartnerRow,
  principal: Principal,
  kind: PartnerKind,
): FieldProblem {
  if (!canSeeGroups(principal, existing.accessGroups))
    return { field, code: 'duplicate', message: `This ${field} is already taken; use a different ${field}.` };
  return {
    field,
    code: 'duplicate',
    message: `Another ${kind} (${existing.code}) already uses the ${field} ${value}; use --match ${field} to update it instead.`,
  };
}

/**
 * Decides what each row of a batch does, by exactly create's and update's rules: the records its
 * email and code name are read in one query (locked when the batch is about to be written).
 * `earlier` tells whether a key was claimed by an earlier row of the file not yet written (dry
 * runs and the checking pass), so those rows behave as they will once the earlier row is written.
 */
export async function classifyBatch(
  db: DbOrTx,
  options: ClassifyOptions & {
    batch: PreparedRow[];
    forUpdate: boolean;
    earlier: (key: string) => number | undefined;
  },
): Promise<RowOutcome[]> {
  const { kind, principal, match, batch } = options;
  const emails = [...new Set(batch.flatMap((p) => (p.email ? [p.email] : [])))];
  const codes = [...new Set(batch.flatMap((p) => (p.code ? [p.code] : [])))];
  const keys: SQL[] = [];
  if (emails.length) keys.push(inArray(partners.email, emails));
  if (codes.length) keys.push(inArray(partners.code, codes));
  let found: PartnerRow[] = [];
  if (keys.length) {
    const query = db
      .select()
      .from(partners)
      .where(and(eq(partners.kind, kind), or(...keys)));
    found = options.forUpdate ? await query.for('update') : await query;
  }
  const byEmail = new Map(found.map((row) => [row.email, row]));
  const byCode = new Map(found.map((row) => [row.code, row]));

  return batch.map((prepared): RowOutcome => {
    const reject = (problems: FieldProblem[]): RowOutcome => ({ type: 'rejected', prepared, problems });
    if (prepared.problems.length) return reject(prepared.problems);
    const key = match === 'code' ? prepared.code : match === 'email' ? prepared.email : undefined;
    const target =
      match === 'code' ? byCode.get(key ?? '') : match === 'email' ? byEmail.get(key ?? '') : undefined;
    if (match && !key && prepared.asNew.problems.some((p) => p.field === match))
      return reject(prepared.asNew.problems);
    if (target) {
      if (!canSeeGroups(principal, target.accessGroups))
        return reject([takenProblem(match!, key!, target, principal, kind)]);
      const { values, problems } = normalizePartnerFields({ kind, input: prepared.changes, current: target });
      checkGroups(principal, values.accessGroups ?? undefined, problems);
      const changed = Object.fromEntries(
        Object.entries(values).filter(([field, value]) => {
          const old = target[field as keyof PartnerRow];
          return JSON.stringify(old ?? null) !== JSON.stringify(value ?? null);
        }),
      ) as PartnerValues;
      for (const field of ['email', 'code'] as const) {
        const value = changed[field];
        const other = value ? (field === 'email' ? byEmail : byCode).get(value) : undefined;
        if (value && other && other.id !== target.id)
          problems.push(takenProblem(field, value, other, principal, kind));
      }
      if (problems.length) return reject(problems);
      return Object.keys(changed).length
        ? { type: 'update', prepared, current: target, values: changed }
        : { type: 'unchanged', prepared, current: target };
    }
    // The record an earlier row of the file creates: with --match on its key, this row updates it.
    const earlierRow = key ? options.earlier(`${match === 'code' ? 'c' : 'e'}:${key}`) : undefined;
    const problems = [...prepared.asNew.problems];
    checkGroups(principal, prepared.asNew.values.accessGroups ?? undefined, problems);
    if (earlierRow !== undefined && problems.every((p) => p.code === 'required' || p.field === 'total'))
      return { type: 'update', prepared, values: prepared.asNew.values };
    for (const field of ['email', 'code'] as const) {
      const value = prepared[field];
      if (!value) continue;
      const existing = (field === 'email' ? byEmail : byCode).get(value);
      if (existing) problems.push(takenProblem(field, value, existing, principal, kind));
      else {
        const row = options.earlier(`${field === 'email' ? 'e' : 'c'}:${value}`);
        if (row !== undefined)
          problems.push({
            field,
            code: 'duplicate',
            message: `Row ${row} of this file already has the ${field} ${value}${match ? '' : `; use --match ${field} to update instead`}.`,
          });
      }
    }
    if (problems.length) return reject(problems);
    return { type: 'create', prepared, values: prepared.asNew.values };
  });
}
