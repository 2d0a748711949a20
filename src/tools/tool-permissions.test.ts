import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, principal } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import type { Database } from '../db/client.ts';
import { type Principal, permissionRoles, type Role, roles } from '../directory/access/principal.ts';
import { mayCall, runTool, type ToolDefinition, tools } from './index.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The role just below the one a tool needs; below viewer, a role the table does not know. */
function roleBelow(role: Role): Principal {
  const index = roles.indexOf(role);
  return index > 0 ? principal(roles[index - 1]!) : { ...principal('viewer'), role: 'none' as Role };
}

describe.each(tools.map((tool) => [tool.name, tool] as const))('%s', (_name, tool: ToolDefinition) => {
  it('takes its role from the permission table', () => {
    expect(tool.role).toBe(permissionRoles[tool.permission]);
    expect(mayCall(principal(tool.role), tool)).toBe(true);
    expect(mayCall(roleBelow(tool.role), tool)).toBe(false);
  });

  it('is refused by the domain to a caller below its role, even when called around the runner', async () => {
    const ctx = contextFor(database, { principal: roleBelow(tool.role) });
    await expect(tool.handler({}, ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('is refused by the runner before the input is read, in the words of the domain', async () => {
    const result = await runTool(
      tool,
      { not: 'read' },
      contextFor(database, { principal: roleBelow(tool.role) }),
    );
    expect(result).toMatchObject({ isError: true, error: { error: 'forbidden' } });
    expect(result.text).toMatch(new RegExp(`the ${tool.role} role is needed`));
  });
});

describe('the tool files', () => {
  it('never import another tool (shared pieces live in the domain or format.ts)', () => {
    const folder = import.meta.dirname;
    const toolFiles = readdirSync(folder).filter(
      (file) =>
        file.endsWith('.ts') &&
        !file.endsWith('.test.ts') &&
        !['index.ts', 'define-tool.ts', 'run-tool.ts', 'format.ts'].includes(file),
    );
    expect(toolFiles.length).toBe(tools.length);
    for (const file of toolFiles) {
      const imports = [...readFileSync(join(folder, file), 'utf8').matchAll(/from '\.\/([^']+)'/g)].map(
        (match) => match[1],
      );
      expect(
        imports.filter((name) => !['define-tool.ts', 'format.ts'].includes(name!)),
        file,
      ).toEqual([]);
    }
  });
});
