import type { CallToolResult, Client, ElicitResult } from '@modelcontextprotocol/client';
import type { ServerContext } from '@modelcontextprotocol/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase } from '../../../test/database.ts';
import { ADMIN_TOKEN, type McpEra, mcpClient, testApp } from '../../../test/server.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { ToolContext, ToolDefinition } from '../../tools/index.ts';
import { confirmThroughProtocol } from './mcp-confirm.ts';

let database: Database;
let app: ReturnType<typeof testApp>;
const clients: Client[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await database?.close();
});

/** An admin client on the era; with `answer`, it declares elicitation and answers every confirmation so. */
async function admin(era: McpEra, answer?: ElicitResult) {
  const asked: string[] = [];
  const client = await mcpClient(
    app,
    ADMIN_TOKEN,
    'confirming-client',
    era,
    answer
      ? (message) => {
          asked.push(message);
          return answer;
        }
      : undefined,
  );
  clients.push(client);
  await client.listTools();
  return { client, asked };
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (result: CallToolResult) => (result.content as { text: string }[])[0]!.text;

async function newPartner(client: Client) {
  const created = await call(client, 'create_partner', {
    kind: 'supplier',
    firstName: 'Linh',
    lastName: 'Phạm',
    companyName: 'Saigon Cotton',
    email: `linh${Math.random().toString(36).slice(2)}@saigoncotton.vn`,
    totalPurchases: 0,
    termsAccepted: true,
  });
  return (created.structuredContent as { partner: { code: string } }).partner.code;
}
const removals = async (code: string) =>
  (
    await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'remove'), eq(auditEvents.partnerCode, code)))
  ).length;

describe('MCP confirmation of destructive calls, 2026-07-28 (input_required)', () => {
  it('asks the person, naming the record and the effect, and removes only after a yes', async () => {
    const { client, asked } = await admin('modern', { action: 'accept', content: { confirm: true } });
    const code = await newPartner(client);
    // The model did not (and need not) set confirm: the person's yes stands for it.
    const removed = await call(client, 'remove_partner', { code });
    expect(removed.isError).toBeFalsy();
    expect(removed.structuredContent).toMatchObject({ removed: code });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(code);
    expect(asked[0]).toMatch(/Linh Phạm, Saigon Cotton/);
    expect(asked[0]).toMatch(/for good|cannot be undone/);
  });

  it.each([
    ['declined', { action: 'decline' } as ElicitResult],
    ['cancelled', { action: 'cancel' } as ElicitResult],
    ['declined', { action: 'accept', content: { confirm: false } } as ElicitResult],
  ])('writes nothing when the confirmation is %s, and says so', async (word, answer) => {
    const { client } = await admin('modern', answer);
    const code = await newPartner(client);
    const refused = await call(client, 'remove_partner', { code, confirm: true });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(`confirmation was ${word}`);
    expect(textOf(refused)).toMatch(/nothing was changed/);
    expect(await removals(code)).toBe(0);
    expect((await call(client, 'get_partner', { code })).isError).toBeFalsy();
  });

  it('asks before removing a compliance item, naming the item and the record', async () => {
    const { client, asked } = await admin('modern', { action: 'accept', content: { confirm: true } });
    const code = await newPartner(client);
    await call(client, 'set_compliance_item', { partner: { code }, name: 'ISO 9001', validTo: '2027-01-01' });
    const removed = await call(client, 'remove_compliance_item', { partner: { code }, name: 'ISO 9001' });
    expect(removed.isError).toBeFalsy();
    expect(asked[0]).toMatch(new RegExp(`"ISO 9001" of ${code}`));
  });

  it('keeps the tool’s own rule for a client without elicitation: confirm: true from the model', async () => {
    const { client } = await admin('modern');
    const code = await newPartner(client);
    const refused = await call(client, 'remove_partner', { code });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/confirm/);
    expect((await call(client, 'remove_partner', { code, confirm: true })).structuredContent).toMatchObject({
      removed: code,
    });
  });

  it('does not ask about a record that does not exist: the tool answers not found', async () => {
    const { client, asked } = await admin('modern', { action: 'accept', content: { confirm: true } });
    const result = await call(client, 'remove_partner', { code: 'SUP-999999', confirm: true });
    expect(result.isError).toBe(true);
    expect(asked).toEqual([]);
  });
});

describe('MCP confirmation on a stateless 2025 HTTP client', () => {
  it('cannot ask (no way back to the client), so the tool’s own confirm rule applies', async () => {
    const { client, asked } = await admin('legacy', { action: 'decline' });
    const code = await newPartner(client);
    const removed = await call(client, 'remove_partner', { code, confirm: true });
    expect(removed.structuredContent).toMatchObject({ removed: code });
    expect(asked).toEqual([]);
  });
});

describe('confirmThroughProtocol', () => {
  it('asks about a destructive tool whose input names no single partner, showing its arguments', async () => {
    const tool = {
      name: 'merge_things',
      title: 'Merge two records',
      effect: 'destructive',
      inputSchema: z.strictObject({ source: z.string(), target: z.string() }),
    } as unknown as ToolDefinition;
    const step = await confirmThroughProtocol({
      tool,
      args: { source: 'SUP-000001', target: 'SUP-000002' },
      ctx: { mcpReq: { inputResponses: undefined } } as unknown as ServerContext,
      askable: true,
      tools: new Map(),
      context: {} as ToolContext,
    });
    expect(step.kind).toBe('answer');
    expect(JSON.stringify(step)).toMatch(/Merge two records.*SUP-000001.*SUP-000002.*cannot be undone/);
  });
});
