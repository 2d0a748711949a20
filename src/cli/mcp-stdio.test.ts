import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallToolResult, Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { eraOptions, type McpEra } from '../../test/server.ts';
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

/**
 * A v2 client on the era over a spawned `partnerbook mcp`, with the child's stderr collected. On
 * 2026-07-28 the SDK probes with server/discover on a short-lived sibling process first, so this
 * also checks that the probe releases the embedded database before the real child opens it.
 */
async function stdioClient(era: McpEra, stderr: string[] = []) {
  const parameters: StdioServerParameters = {
    command: process.execPath,
    args: [bin, 'mcp'],
    env,
    stderr: 'pipe',
  };
  const transport = new StdioClientTransport(parameters);
  transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
  const client = new Client(
    { name: `stdio-${era}`, version: '1.0.0' },
    { ...eraOptions(era), capabilities: { elicitation: { form: {} } } },
  );
  // The person says yes to every confirmation, and the test keeps what they were asked.
  const asked: string[] = [];
  client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { confirm: true } };
  });
  await client.connect(transport);
  expect(client.getProtocolEra()).toBe(era);
  return Object.assign(client, { asked });
}

describe.each(['modern', 'legacy'] as const)('partnerbook mcp (stdio, %s era)', (era) => {
  it('serves the tools with logs on stderr only, names the client in the audit, reads exports as resources, confirms destructive calls with the person, and returns bad-input problems', async () => {
    const stderr: string[] = [];
    const client = await stdioClient(era, stderr);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('create_partner');
      const created = (await client.callTool({
        name: 'create_partner',
        arguments: {
          kind: 'customer',
          firstName: 'Mai',
          email: `mai-${era}@example.vn`,
          totalSales: 0,
          country: 'VN',
          termsAccepted: true,
        },
      })) as CallToolResult;
      expect(created.isError).toBeFalsy();
      const { code } = (created.structuredContent as { partner: { code: string } }).partner;
      const history = (await client.callTool({
        name: 'partner_history',
        arguments: { partner: { code } },
      })) as CallToolResult;
      const [event] = (history.structuredContent as { events: { via: string; clientName: string }[] }).events;
      expect(event).toMatchObject({ via: 'mcp', clientName: `stdio-${era}` });

      // Nothing listens on the export link's host here: the export is read through MCP instead.
      const exported = (await client.callTool({
        name: 'export_partners',
        arguments: { kind: 'customer' },
      })) as CallToolResult;
      const link = exported.content.find((block) => block.type === 'resource_link') as { uri: string };
      const [csv] = (await client.readResource({ uri: link.uri })).contents as { text: string }[];
      expect(csv!.text).toContain(`mai-${era}@example.vn`);

      // A destructive call is confirmed by the person through the protocol, on either era.
      await client.callTool({
        name: 'set_compliance_item',
        arguments: { partner: { code }, name: 'BSCI', validTo: '2027-01-01' },
      });
      const removed = (await client.callTool({
        name: 'remove_compliance_item',
        arguments: { partner: { code }, name: 'BSCI' },
      })) as CallToolResult;
      expect(removed.isError).toBeFalsy();
      expect(client.asked).toEqual([expect.stringContaining(`"BSCI" of ${code}`)]);

      // The client listed tools, so it validates results: an error must still come back as a result.
      const bad = (await client.callTool({
        name: 'create_partner',
        arguments: {
          kind: 'customer',
          firstName: '',
          email: 'x',
          country: 'Vietnum',
          totalSales: -5,
          termsAccepted: true,
        },
      })) as CallToolResult;
      expect(bad.isError).toBe(true);
      expect(bad.structuredContent).toBeUndefined();
      const problems = JSON.parse((bad.content as { text: string }[])[1]!.text).problems as {
        field: string;
      }[];
      expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['email', 'country']));

      const refused = client.request({
        method: 'tools/call',
        params: { name: 'search_partners', arguments: [] as unknown as Record<string, unknown> },
      });
      await expect(refused).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(/params\.arguments must be a JSON object/),
      });
    } finally {
      await client.close();
    }
    expect(stderr.join('')).toMatch(/MCP server on stdio/);
  });
});

describe('partnerbook mcp (stdio) without a token', () => {
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
      const client = new Client({ name: 'stdio-test', version: '1.0.0' }, eraOptions('legacy'));
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
      });
      await expect(client.connect(transport)).rejects.toThrow(/closed|Connection/i);
      await closed;
      expect(stderr.join('')).toMatch(/PARTNERBOOK_TOKEN=/);
    },
  );
});
