import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import type { Database } from '../db/client.ts';
import { createToken } from '../directory/access/principals.ts';

const bin = join(import.meta.dirname, '../../bin/partnerbook.js');
let database: (Database & { url?: string }) | undefined;
let dataDir: string;
const env: Record<string, string> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pb-stdio-'));
  Object.assign(env, { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', DATA_DIR: dataDir, TIMEZONE: 'UTC' });
  if (process.env.DATABASE_URL) {
    database = await openTestDatabase();
    env.DATABASE_URL = database.url!;
    env.PARTNERBOOK_TOKEN = (
      await createToken(contextFor(database), { name: 'desktop', role: 'editor' })
    ).token;
  }
});
afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('partnerbook mcp (stdio)', () => {
  it('serves the tools to the SDK client over stdin/stdout with logs on stderr only', async () => {
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp'],
      env,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('create_partner');
      const created = (await client.callTool({
        name: 'create_partner',
        arguments: {
          kind: 'customer',
          firstName: 'Mai',
          email: 'mai@example.vn',
          totalSales: 0,
          country: 'VN',
          termsAccepted: true,
        },
      })) as CallToolResult;
      expect(created.isError).toBeFalsy();
      const history = (await client.callTool({
        name: 'partner_history',
        arguments: {
          partner: { code: (created.structuredContent as { partner: { code: string } }).partner.code },
        },
      })) as CallToolResult;
      const [event] = (history.structuredContent as { events: { via: string; clientName: string }[] }).events;
      expect(event).toMatchObject({ via: 'mcp', clientName: 'stdio-test' });
    } finally {
      await client.close();
    }
    expect(stderr.join('')).toMatch(/MCP server on stdio/);
  });

  it('answers unusable tools/call params with -32602 and a sentence, over stdio too', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp'],
      env,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const refused = client.request(
        {
          method: 'tools/call',
          params: { name: 'search_partners', arguments: [] as unknown as Record<string, unknown> },
        },
        CallToolResultSchema,
      );
      await expect(refused).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(/params\.arguments must be a JSON object/),
      });
    } finally {
      await client.close();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'refuses to start on PostgreSQL without a token, saying why',
    async () => {
      const { PARTNERBOOK_TOKEN: _omit, ...withoutToken } = env;
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [bin, 'mcp'],
        env: withoutToken,
        stderr: 'pipe',
      });
      const stderr: string[] = [];
      transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
      const client = new Client({ name: 'stdio-test', version: '1.0.0' });
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
      });
      await expect(client.connect(transport)).rejects.toThrow(/closed|Connection/i);
      await closed;
      expect(stderr.join('')).toMatch(/Set PARTNERBOOK_TOKEN/);
    },
  );
});
