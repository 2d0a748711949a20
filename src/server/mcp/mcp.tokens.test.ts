import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { ADMIN_TOKEN, mcpClient, testApp } from '../../../test/server.ts';
import type { Database } from '../../db/client.ts';
import { createPartnerInput } from '../../directory/partners/partner-schema.ts';
import { createPartner } from '../../directory/partners/partner-write.ts';
import { leanSchema } from './mcp-schemas.ts';

/** Tokens a model pays for a value, counted with GPT-4o's tokenizer (o200k_base) on its JSON. */
const tokens = (value: unknown) => encode(JSON.stringify(value)).length;

/*
 * Ceilings measured on this tree, so the cost only goes down (tools/list per tool, so that a new
 * tool adds its share but no tool may grow). The issue's targets (tools/list for
 * an admin <= 6,000 tokens, a 20-row search <= 1,500) need the tools' own schemas and results
 * made leaner (src/tools); the adapter already drops what carries no meaning.
 */
/** Measured: about 17,400 tokens for 21 tools (830 per tool) on 2026-12-02. */
const TOOLS_LIST_CEILING_PER_TOOL = 900;
const SEARCH_20_ROWS_CEILING = 4_200;

let database: Database;
let admin: Client;
beforeAll(async () => {
  database = await openTestDatabase();
  const ctx = contextFor(database);
  for (let i = 0; i < 20; i++) {
    await createPartner(
      ctx,
      createPartnerInput.parse({
        kind: 'customer',
        firstName: `Budget ${i}`,
        lastName: 'Nguyễn',
        email: `budget${i}@example.vn`,
        companyName: `Budget Trading ${i}`,
        country: 'VN',
        city: 'Hà Nội',
        totalSales: 1000 + i,
        termsAccepted: true,
      }),
    );
  }
  admin = await mcpClient(testApp(database), ADMIN_TOKEN, 'token-budget', 'modern');
});
afterAll(async () => {
  await admin?.close();
  await database?.close();
});

describe('MCP token budget (GPT-4o tokenizer)', () => {
  it('keeps tools/list for an admin under its ceiling, with no $schema line or ±2^53 integer bounds', async () => {
    const { tools } = await admin.listTools();
    const text = JSON.stringify(tools);
    expect(text).not.toContain('$schema');
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    console.info(`tools/list for an admin: ${tokens(tools)} tokens for ${tools.length} tools`);
    expect(tokens(tools)).toBeLessThanOrEqual(TOOLS_LIST_CEILING_PER_TOOL * tools.length);
  });

  it('keeps a 20-row search (text and structured content) under its ceiling', async () => {
    const result = (await admin.callTool({
      name: 'search_partners',
      arguments: { query: 'Budget', limit: 20 },
    })) as CallToolResult;
    expect((result.structuredContent as { items: unknown[] }).items).toHaveLength(20);
    const cost = tokens(result.content) + tokens(result.structuredContent);
    console.info(`a 20-row search: ${cost} tokens`);
    expect(cost).toBeLessThanOrEqual(SEARCH_20_ROWS_CEILING);
  });

  it.todo('tools/list for an admin within 6,000 tokens with every schema exact (issue 9; needs src/tools)');
  it.todo('a 20-row search within 1,500 tokens in total (issue 9; needs src/tools)');
});

describe('leanSchema', () => {
  it('drops $schema and the safe-integer bounds, and keeps every real bound', () => {
    expect(
      leanSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          any: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
          limit: { type: 'integer', minimum: 1, maximum: 100 },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: { any: { type: 'integer' }, limit: { type: 'integer', minimum: 1, maximum: 100 } },
    });
  });
});
