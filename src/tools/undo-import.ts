import { z } from 'zod';
import { undoImport, undoImportResult } from '../directory/imports/import-undo.ts';
import { defineTool } from './define-tool.ts';

export const undoImportTool = defineTool({
  name: 'undo_import',
  title: 'Undo an import',
  description:
    'Admins: undoes a finished import. Records it created are removed if unchanged since and without orders; records it updated get their fields back if unchanged since; every record that could not be undone is listed with the reason. Example: {"id":"3f2b8a4e-..."}.',
  inputSchema: z.strictObject({ id: z.string().max(64).describe('The import id.') }),
  outputSchema: undoImportResult,
  effect: 'destructive',
  permission: 'manage',
  async handler({ id }, ctx) {
    const result = await undoImport(ctx, id);
    return {
      structured: result,
      text: `Undid import ${result.id}: ${result.removed} record(s) removed, ${result.restored} restored${result.notUndone.length ? `; not undone: ${result.notUndone.map((n) => `${n.code} (${n.reason})`).join(', ')}` : ''}.`,
    };
  },
});
