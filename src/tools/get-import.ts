import { z } from 'zod';
import { importSummary, importView, importViewSchema } from '../directory/imports/imports.ts';
import { defineTool } from './define-tool.ts';

export const getImportTool = defineTool({
  name: 'get_import',
  title: 'Status of an import',
  description:
    'Returns one import (started with import_partners, the CLI or POST /api/imports): status (queued, running, completed, rejected, failed), progress, counts, the column report and the first rejected rows with their problems. Your own imports only (admins: any). Example: {"id":"3f2b8a4e-..."}.',
  inputSchema: z.strictObject({ id: z.string().max(64).describe('The import id.') }),
  outputSchema: importViewSchema,
  effect: 'read',
  permission: 'read',
  async handler({ id }, ctx) {
    const view = await importView(ctx, id);
    return { structured: view, text: importSummary(view) };
  },
});
