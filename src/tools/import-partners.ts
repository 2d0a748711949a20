import { z } from 'zod';
import { DirectoryError } from '../directory/errors.ts';
import {
  importOptionsInput,
  importSummary,
  importViewSchema,
  startImport,
} from '../directory/imports/imports.ts';
import { defineTool } from './define-tool.ts';

/** Rows an assistant may send as text; larger files go through POST /api/imports or the CLI. */
const MAX_TEXT_ROWS = 5_000;

export const importPartnersTool = defineTool({
  name: 'import_partners',
  title: 'Import customers or suppliers from CSV text',
  description:
    'Imports up to 5,000 rows of CSV text (header row first; headers such as Email, Name, First name, Company, Phone, Country, Total Sales are recognised). Dry run by default: returns what would be created, updated, unchanged and rejected (each rejected row with its field, message and suggestion) and writes nothing; show that to the user, then call again with dryRun false. match "email" or "code" updates existing records instead of duplicating; onError "abort" (default) writes nothing if any row is rejected, "skip" writes the valid rows. Example: {"kind":"supplier","csv":"Company,Name,Email,Country\\nAcme Ltd,Lan Tran,lan@acme.vn,Viet Nam","match":"email"}.',
  inputSchema: importOptionsInput.omit({ sheet: true }).extend({
    csv: z.string().min(1).max(5_000_000).describe('The CSV text: a header row, then up to 5,000 rows.'),
    dryRun: z.boolean().default(true).describe('true (default): report only, write nothing.'),
  }),
  outputSchema: importViewSchema,
  effect: 'write',
  permission: 'write',
  async handler({ csv, ...input }, ctx) {
    const lines = (csv ?? '').split('\n').length - 1;
    if (lines > MAX_TEXT_ROWS + 1)
      throw new DirectoryError(
        'validation',
        `The CSV text has about ${lines} lines; this tool takes up to ${MAX_TEXT_ROWS} rows. Upload larger files with POST /api/imports or \`partnerbook import\`.`,
      );
    const view = await startImport(ctx, {
      body: [new TextEncoder().encode(csv)],
      fileName: 'assistant.csv',
      input,
      wait: true,
    });
    return { structured: view, text: importSummary(view) };
  },
});
