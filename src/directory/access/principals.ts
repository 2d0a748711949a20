import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { principals } from '../../db/schema/index.ts';
import type { DirectoryContext } from '../context.ts';
import { DirectoryError, type FieldProblem, throwIfProblems } from '../errors.ts';
import { cleanGroups } from '../values/contact-fields.ts';
import { cleanText } from '../values/text.ts';
import { type Principal, type Role, requirePermission, roles } from './principal.ts';

const TOKEN_PREFIX = 'pb_';

/** The bootstrap admin: PARTNERBOOK_ADMIN_TOKEN, or the token printed at first start. */
export const bootstrapAdmin: Principal = {
  id: 'bootstrap-admin',
  name: 'bootstrap admin',
  role: 'admin',
  accessGroups: [],
};

/** The principal the system itself acts as (migrations, demo seed, scheduled jobs). */
export const systemPrincipal: Principal = { id: 'system', name: 'system', role: 'admin', accessGroups: [] };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function validateRole(value: string, problems: FieldProblem[]): Role | undefined {
  if ((roles as readonly string[]).includes(value)) return value as Role;
  problems.push({
    field: 'role',
    code: 'invalid_role',
    message: `"${value}" is not a role.`,
    allowed: [...roles],
  });
  return undefined;
}

/** Creates an API token principal (admins only). The token is returned once and stored hashed. */
export async function createToken(
  ctx: DirectoryContext,
  options: { name: string; role: string; accessGroups?: string[] },
): Promise<{ token: string; principal: Principal }> {
  requirePermission(ctx.actor.principal, 'manage', 'create tokens');
  const problems: FieldProblem[] = [];
  const name = cleanText({ value: options.name, field: 'name', label: 'Name', max: 100, problems });
  if (!name && !problems.length)
    problems.push({
      field: 'name',
      code: 'required',
      message: 'Give the token a name, e.g. "claude-desktop".',
    });
  const role = validateRole(options.role, problems);
  const groups = cleanGroups(options.accessGroups ?? [], 'accessGroups', problems);
  throwIfProblems(problems, 'The token');
  // Names are how people revoke tokens: two active tokens never share one.
  const [taken] = await ctx.db
    .select({ id: principals.id })
    .from(principals)
    .where(and(eq(principals.type, 'token'), eq(principals.name, name!), isNull(principals.revokedAt)))
    .limit(1);
  if (taken)
    throw new DirectoryError('conflict', `An active token is already named "${name}".`, {
      problems: [{ field: 'name', code: 'taken', message: `Pick another name than "${name}".` }],
      hint: `Choose another --name, or revoke the old one first: npx partnerbook tokens revoke "${name}".`,
    });
  const token = newToken();
  const [row] = await ctx.db
    .insert(principals)
    .values({
      type: 'token',
      name: name!,
      role: role!,
      accessGroups: groups ?? [],
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, 10),
      createdBy: ctx.actor.principal.name,
    })
    .returning();
  return {
    token,
    principal: { id: row!.id, name: row!.name, role: row!.role, accessGroups: row!.accessGroups },
  };
}

/** Creates the first admin token when no principal exists yet (first start); undefined otherwise. */
export async function createFirstAdminToken(db: Db): Promise<string | undefined> {
  const [existing] = await db.select({ n: count() }).from(principals);
  if ((existing?.n ?? 0) > 0) return undefined;
  const token = newToken();
  await db.insert(principals).values({
    type: 'token',
    name: 'first admin',
    role: 'admin',
    tokenHash: hashToken(token),
    tokenPrefix: token.slice(0, 10),
    createdBy: 'system',
  });
  return token;
}

/**
 * The principal behind a bearer token, read fresh on every call so a role change or a
 * revocation takes effect at once; undefined for unknown or revoked tokens.
 */
export async function authenticateToken(
  db: Db,
  options: { token: string; bootstrapToken?: string },
): Promise<Principal | undefined> {
  const { token, bootstrapToken } = options;
  if (!token) return undefined;
  if (bootstrapToken) {
    const given = Buffer.from(hashToken(token));
    const expected = Buffer.from(hashToken(bootstrapToken));
    if (timingSafeEqual(given, expected)) return bootstrapAdmin;
  }
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const [row] = await db
    .select()
    .from(principals)
    .where(and(eq(principals.tokenHash, hashToken(token)), isNull(principals.revokedAt)))
    .limit(1);
  return row ? { id: row.id, name: row.name, role: row.role, accessGroups: row.accessGroups } : undefined;
}

export async function listTokens(ctx: DirectoryContext) {
  requirePermission(ctx.actor.principal, 'manage', 'list tokens');
  const rows = await ctx.db
    .select()
    .from(principals)
    .where(eq(principals.type, 'token'))
    .orderBy(asc(principals.createdAt));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    accessGroups: row.accessGroups,
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}

/** Revokes a token by id, name or its printed prefix; effective on the next call. */
export async function revokeToken(ctx: DirectoryContext, idOrName: string): Promise<{ revoked: string }> {
  requirePermission(ctx.actor.principal, 'manage', 'revoke tokens');
  const tokens = await listTokens(ctx);
  const matches = tokens.filter(
    (t) => !t.revokedAt && (t.id === idOrName || t.name === idOrName || t.tokenPrefix === idOrName),
  );
  if (matches.length === 0)
    throw new DirectoryError('not_found', `No active token matches "${idOrName}".`, {
      hint: 'Run `partnerbook tokens list` to see ids and names.',
    });
  if (matches.length > 1)
    throw new DirectoryError('conflict', `${matches.length} tokens are named "${idOrName}"; revoke by id.`);
  await ctx.db
    .update(principals)
    .set({ revokedAt: ctx.clock.now() })
    .where(eq(principals.id, matches[0]!.id));
  return { revoked: matches[0]!.name };
}

/** Maps a Slack user to a role and groups (admins only); creates or updates the mapping. */
export async function setSlackUser(
  ctx: DirectoryContext,
  options: { slackUserId: string; role: string; accessGroups?: string[]; name?: string },
): Promise<Principal> {
  requirePermission(ctx.actor.principal, 'manage', 'manage Slack users');
  const problems: FieldProblem[] = [];
  if (!/^[UW][A-Z0-9]{2,20}$/.test(options.slackUserId)) {
    problems.push({
      field: 'slackUserId',
      code: 'invalid',
      message: 'A Slack user id looks like U012AB3CD.',
    });
  }
  const role = validateRole(options.role, problems);
  const groups = cleanGroups(options.accessGroups ?? [], 'accessGroups', problems);
  throwIfProblems(problems, 'The Slack user');
  const values = {
    role: role!,
    accessGroups: groups ?? [],
    name: options.name ?? `slack:${options.slackUserId}`,
  };
  const [row] = await ctx.db
    .insert(principals)
    .values({
      type: 'slack',
      slackUserId: options.slackUserId,
      createdBy: ctx.actor.principal.name,
      ...values,
    })
    .onConflictDoUpdate({ target: principals.slackUserId, set: values })
    .returning();
  return { id: row!.id, name: row!.name, role: row!.role, accessGroups: row!.accessGroups };
}

/** The principal of a mapped Slack user, or undefined. */
export async function findSlackPrincipal(db: Db, slackUserId: string): Promise<Principal | undefined> {
  const [row] = await db.select().from(principals).where(eq(principals.slackUserId, slackUserId)).limit(1);
  return row && !row.revokedAt
    ? { id: row.id, name: row.name, role: row.role, accessGroups: row.accessGroups }
    : undefined;
}
