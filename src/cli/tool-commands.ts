import Table from 'cli-table3';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Config } from '../config.ts';
import { systemClock, todayIn } from '../directory/activity/clock.ts';
import { DirectoryError } from '../directory/errors.ts';
import type { partnerDetail } from '../directory/partners/partner-read.ts';
import type { DirectorySummary, KindCounts } from '../directory/summary/summary.ts';
import { tools } from '../tools/index.ts';
import { curlCommand, emptyDirectoryHint } from './hints.ts';
import { kindOption, list } from './option-values.ts';
import { renderCard } from './partner-output.ts';
import { count, paint, terminalStyle } from './terminal.ts';
import { callTool, type ToolAnswer } from './tool-session.ts';

export { callTool, cliPrincipal, type ToolAnswer } from './tool-session.ts';

/** Under an answer with download links: the exact command that fetches each. */
export function downloadLines(links: { uri: string; name: string }[], withToken: boolean): string {
  return links
    .map(
      (link) =>
        `\nDownload it while the server runs (the link is valid 1 hour):\n  ${curlCommand({ url: link.uri, fileName: link.name, withToken })}`,
    )
    .join('');
}

/** Prints an answer (text, or JSON with --json) and sets the exit code. */
export function printAnswer(answer: ToolAnswer, options: { json?: boolean; withToken?: boolean } = {}): void {
  if (options.json) process.stdout.write(`${JSON.stringify(answer.data, null, 2)}\n`);
  else if (answer.ok)
    // A terminal shows no attachment: it gets the command that downloads the file instead.
    process.stdout.write(
      `${answer.text.replace('; the CSV is attached', '')}${downloadLines(answer.links, !!options.withToken)}\n`,
    );
  else process.stderr.write(`${answer.text}\n`);
  if (!answer.ok) process.exitCode = 1;
}

function summaryText(summary: DirectorySummary): string {
  const style = terminalStyle();
  const kinds = (['customer', 'supplier'] as const).filter((kind) => summary[kind]);
  const heading = `As of ${summary.asOf} (${summary.timeZone}; New and Active count from ${summary.windowStart}, the last ${summary.windowDays} days):`;
  const columns = ['All', 'Enabled', 'Disabled', 'New', 'Active', 'Inactive'] as const;
  const cells = (counts: KindCounts) =>
    [counts.all, counts.enabled, counts.disabled, counts.new, counts.active, counts.inactive].map(count);
  if (style.tty) {
    const table = new Table({
      head: ['', ...columns].map((c) => paint(style).bold(c)),
      style: { head: [], border: [] },
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    });
    for (const kind of kinds)
      table.push([kind === 'customer' ? 'Customers' : 'Suppliers', ...cells(summary[kind]!)]);
    return `${heading}\n${table.toString()}`;
  }
  const lines = kinds.map((kind) => {
    const c = cells(summary[kind]!);
    return `${kind === 'customer' ? 'Customers' : 'Suppliers'}: ${c[0]} in all (${c[1]} enabled, ${c[2]} disabled), ${c[3]} new, ${c[4]} active, ${c[5]} inactive`;
  });
  return `${heading}\n${lines.join('\n')}`;
}

/** `tools`, `call`, and the everyday shortcuts `get` and `summary` (`search` has its own file). */
export function registerToolCommands(program: Command, config: () => Config): void {
  program
    .command('tools')
    .description('list the tools (the same ones MCP and Slack use)')
    .option('--json', 'print name, role, title and description as JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        const list = tools.map((t) => ({
          name: t.name,
          role: t.role,
          title: t.title,
          description: t.description,
        }));
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${'TOOL'.padEnd(24)} ${'ROLE'.padEnd(7)} WHAT IT DOES\n`);
      for (const tool of tools)
        process.stdout.write(`${tool.name.padEnd(24)} ${tool.role.padEnd(7)} ${tool.title}\n`);
    });

  program
    .command('call')
    .description('call a tool with JSON arguments, e.g. call get_partner \'{"code":"CUS-000001"}\'')
    .argument('<tool>', 'tool name (npx partnerbook tools lists them)')
    .argument('[json]', 'arguments as JSON', '{}')
    .option('--json', 'print the structured result as JSON')
    .action(async (name: string, json: string, options: { json?: boolean }) => {
      let args: unknown;
      try {
        args = JSON.parse(json);
      } catch {
        throw new DirectoryError(
          'validation',
          `The arguments are not valid JSON: ${json}\nPut them in single quotes, e.g. npx partnerbook call get_partner '{"code":"CUS-000001"}'.`,
        );
      }
      printAnswer(await callTool(config(), name, args), {
        json: options.json,
        withToken: !!config().PARTNERBOOK_TOKEN,
      });
    });

  program
    .command('get')
    .description('show one record: contact, address, totals, compliance items and recent orders')
    .argument('<code>', 'e.g. CUS-000001')
    .option('--kind <kind>', 'customer or supplier, when the code is used by both', kindOption)
    .option('--json', 'print the whole record as JSON, with the last changes (scripts)')
    .action(async (code: string, options: { kind?: string; json?: boolean }) => {
      const answer = await callTool(config(), 'get_partner', {
        code,
        ...(options.kind ? { kind: options.kind } : {}),
      });
      if (!answer.ok || options.json) return printAnswer(answer, options);
      const settings = config();
      process.stdout.write(
        `${renderCard(answer.data as z.infer<typeof partnerDetail>, {
          style: terminalStyle(),
          today: todayIn(settings.TIMEZONE, systemClock),
          windowDays: settings.COMPLIANCE_WINDOW_DAYS,
        })}\n`,
      );
    });

  program
    .command('summary')
    .description('All / New / Active / Inactive counts')
    .option('--kind <kind>', 'customer or supplier (customers, vendors ... are understood)', kindOption)
    .option('--country <country>', 'country code or name; repeat or comma-separate', list)
    .option('--json', 'print JSON')
    .action(async (options: { kind?: string; country?: string[]; json?: boolean }) => {
      const args = {
        ...(options.kind ? { kind: options.kind } : {}),
        ...(options.country ? { countries: options.country } : {}),
      };
      const answer = await callTool(config(), 'directory_summary', args);
      if (!answer.ok || options.json) return printAnswer(answer, options);
      const summary = answer.data as DirectorySummary;
      process.stdout.write(`${summaryText(summary)}\n`);
      const all = (summary.customer?.all ?? 0) + (summary.supplier?.all ?? 0);
      if (all === 0 && !options.kind && !options.country) process.stdout.write(`${emptyDirectoryHint}\n`);
    });
}
