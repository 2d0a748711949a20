import { eq, sql } from 'drizzle-orm';
import { type DbOrTx, rowsOf, type Tx } from '../../db/client.ts';
import { type PartnerRow, partnerPictures, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { calendarDay } from '../activity/clock.ts';
import { activityWindow } from '../activity/window.ts';
import { diffPartner, writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError, uniqueViolation } from '../db-errors.ts';
import { DirectoryError, throwIfProblems } from '../errors.ts';
import { readSettings } from '../settings.ts';
import { generatedCode } from './partner-field-rules.ts';
import { normalizePartnerFields, type PartnerValues } from './partner-fields.ts';
import { findPartner, type PartnerRef } from './partner-ref.ts';
import type { CreatePartnerInput, PartnerChanges, PartnerKind } from './partner-schema.ts';
import { type PartnerView, toPartnerView } from './partner-view.ts';
import { checkGroups, duplicateError, qualityWarnings } from './partner-write-checks.ts';
import type { Picture } from './picture.ts';

/** Runs a write in one transaction; database failures become safe, typed errors. */
export async function inTransaction<T>(ctx: DirectoryContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(work);
  } catch (error) {
    throw toDirectoryError(error);
  }
}

/** Stores, replaces (undefined: leaves alone) or removes (null) a partner's picture, dated by the injected clock. */
async function savePicture(
  tx: Tx,
  options: { partnerId: string; picture: Picture | null | undefined; at: Date },
): Promise<void> {
  const { partnerId, picture } = options;
  if (picture === undefined) return;
  if (picture === null) {
    await tx.delete(partnerPictures).where(eq(partnerPictures.partnerId, partnerId));
    return;
  }
  const values = {
    mimeType: picture.mimeType,
    bytes: picture.bytes,
    sha256: picture.sha256,
    data: picture.data,
    updatedAt: options.at,
  };
  await tx
    .insert(partnerPictures)
    .values({ partnerId, ...values })
    .onConflictDoUpdate({ target: partnerPictures.partnerId, set: values });
}

/**
 * Writes a change to a partner inside the caller's transaction: the given column values plus
 * version + 1 and updatedAt/updatedBy. Every change to a record goes through here.
 */
export async function applyPartnerChange(
  tx: Tx,
  ctx: DirectoryContext,
  current: PartnerRow,
  values: Partial<Record<keyof PartnerRow, unknown>> = {},
): Promise<PartnerRow> {
  const [updated] = await tx
    .update(partners)
    .set({
      ...(values as PartnerValues),
      version: current.version + 1,
      updatedAt: ctx.clock.now(),
      updatedBy: ctx.actor.principal.name,
    })
    .where(eq(partners.id, current.id))
    .returning();
  return updated!;
}

/** The public record of a row, as of today in the workspace time zone. */
export async function viewOf(ctx: DirectoryContext, row: PartnerRow): Promise<PartnerView> {
  return toPartnerView(row, {
    window: activityWindow(ctx),
    hasPicture: await hasPicture(ctx.db, row.id),
  });
}

export async function hasPicture(db: DbOrTx, partnerId: string): Promise<boolean> {
  const rows = await db
    .select({ id: partnerPictures.partnerId })
    .from(partnerPictures)
    .where(eq(partnerPictures.partnerId, partnerId));
  return rows.length > 0;
}

/**
 * The row a create inserts (create_partner and imports alike): the normalized values, the
 * workspace currency when none is given, today (in the workspace time zone) as the since date
 * when none is given, and the creator's stamps.
 */
export function newPartnerRow(
  ctx: DirectoryContext,
  options: { kind: PartnerKind; code: string; values: PartnerValues; defaultCurrency: string; now: Date },
) {
  const { values, now } = options;
  const { principal } = ctx.actor;
  return {
    ...(values as Required<Pick<PartnerValues, 'firstName' | 'email' | 'total'>> & PartnerValues),
    kind: options.kind,
    code: options.code,
    currency: values.currency ?? options.defaultCurrency,
    // A relationship without a since date starts today (workspace time zone): it counts as New.
    since: values.since === undefined ? calendarDay(now, ctx.timeZone) : values.since,
    termsAcceptedAt: now,
    createdAt: now,
    updatedAt: now,
    createdBy: principal.name,
    updatedBy: principal.name,
  };
}

/**
 * Creates a customer or supplier. Requires the editor role, firstName, email, the kind's total
 * and termsAccepted: true. The code is generated (CUS-000001 / SUP-000001) when not given.
 */
export async function createPartner(
  ctx: DirectoryContext,
  input: CreatePartnerInput,
): Promise<{ partner: PartnerView; warnings: string[] }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', `create ${input.kind}s`);
  const { kind, termsAccepted, ...fields } = input;
  const { values, picture, problems } = normalizePartnerFields({ kind, input: fields });
  if (termsAccepted !== true) {
    problems.push({
      field: 'termsAccepted',
      code: 'terms_not_accepted',
      message:
        'The terms and privacy confirmation must be accepted (termsAccepted: true) before a record is created.',
    });
  }
  checkGroups(principal, values.accessGroups ?? undefined, problems);
  throwIfProblems(problems, `The ${kind}`);

  for (let attempt = 0; ; attempt++) {
    try {
      const row = await ctx.db.transaction(async (tx) => {
        const settings = await readSettings(tx);
        const code = values.code ?? (await nextCode(tx, kind));
        const now = ctx.clock.now();
        const [created] = await tx
          .insert(partners)
          .values(newPartnerRow(ctx, { kind, code, values, defaultCurrency: settings.defaultCurrency, now }))
          .returning();
        await savePicture(tx, { partnerId: created!.id, picture, at: now });
        await writeAudit(tx, {
          actor: ctx.actor,
          action: 'create',
          partner: created!,
          changes: diffPartner(undefined, created!),
        });
        return created!;
      });
      return {
        partner: toPartnerView(row, {
          window: activityWindow(ctx),
          hasPicture: !!picture,
        }),
        warnings: await qualityWarnings(ctx.db, row, principal),
      };
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'partners_kind_email_key') {
        throw await duplicateError(ctx.db, { principal, kind, field: 'email', value: values.email! });
      }
      if (constraint === 'partners_kind_code_key') {
        // A generated code can collide with one typed by hand earlier: take the next number.
        if (!values.code && attempt < 5) continue;
        throw await duplicateError(ctx.db, { principal, kind, field: 'code', value: values.code! });
      }
      throw toDirectoryError(error);
    }
  }
}

async function nextCode(tx: Tx, kind: PartnerKind): Promise<string> {
  const sequence =
    kind === 'customer' ? sql`nextval('customer_code_seq')` : sql`nextval('supplier_code_seq')`;
  const [row] = rowsOf<{ n: string }>(await tx.execute(sql`select ${sequence}::text as n`));
  return generatedCode(kind, row!.n);
}

/**
 * Edits a partner. Only the given fields change; null or "" clears an optional field; required
 * fields cannot be cleared. With expectedVersion, a record changed since is refused (stale_version).
 */
export async function updatePartner(
  ctx: DirectoryContext,
  options: { ref: PartnerRef; changes: PartnerChanges; expectedVersion?: number },
): Promise<{ partner: PartnerView; changed: string[] }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', 'edit records');
  let kindForErrors: PartnerKind = 'customer';
  let valuesForErrors: PartnerValues = {};
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const current = await findPartner(tx, { ref: options.ref, principal, forUpdate: true });
      kindForErrors = current.kind;
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new DirectoryError(
          'stale_version',
          `${current.code} was changed by someone else (now version ${current.version}, you had ${options.expectedVersion}); nothing was saved.`,
          {
            hint: 'Reload the record, re-apply your change, and send the new version.',
            details: { currentVersion: current.version },
          },
        );
      }
      const { values, picture, problems } = normalizePartnerFields({
        kind: current.kind,
        input: options.changes,
        current,
      });
      checkGroups(principal, values.accessGroups ?? undefined, problems);
      throwIfProblems(problems, current.code);
      valuesForErrors = values;
      const changedValues = Object.fromEntries(
        Object.entries(values).filter(([key, value]) => {
          const old = current[key as keyof PartnerRow];
          return JSON.stringify(old ?? null) !== JSON.stringify(value ?? null);
        }),
      ) as PartnerValues;
      if (Object.keys(changedValues).length === 0 && picture === undefined)
        return { row: current, changed: [] as string[] };
      const updated = await applyPartnerChange(tx, ctx, current, changedValues);
      await savePicture(tx, { partnerId: current.id, picture, at: updated!.updatedAt });
      const changes = diffPartner(current, updated!);
      if (picture !== undefined)
        changes.picture = {
          before: null,
          after: picture ? { bytes: picture.bytes, mimeType: picture.mimeType } : null,
        };
      await writeAudit(tx, { actor: ctx.actor, action: 'update', partner: updated!, changes });
      return { row: updated!, changed: Object.keys(changes) };
    });
    return { partner: await viewOf(ctx, result.row), changed: result.changed };
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'partners_kind_email_key' || constraint === 'partners_kind_code_key') {
      const field = constraint === 'partners_kind_email_key' ? 'email' : 'code';
      throw await duplicateError(ctx.db, {
        principal,
        kind: kindForErrors,
        field,
        value: String(valuesForErrors[field]),
      });
    }
    throw toDirectoryError(error);
  }
}
