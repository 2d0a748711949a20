import { exportContentType, exportFileName, exportResult } from '../directory/exports/export.ts';
import { checkHistoryRange } from '../directory/exports/export-history.ts';
import {
  countHistoryRows,
  createExportLink,
  historyExportRequest,
  historyRange,
} from '../directory/exports/export-links.ts';
import { defineTool } from './define-tool.ts';

export const exportHistoryTool = defineTool({
  name: 'export_history',
  title: 'Export the change history',
  description:
    'Exports the audit log (every create, edit, status change, removal, order and compliance change: who, when, through what, before and after) as CSV or XLSX, optionally for a date range. Admins only. Returns a download link valid for 1 hour. Example: {"from":"2026-10-01","to":"2026-10-31","format":"xlsx"}.',
  inputSchema: historyExportRequest,
  outputSchema: exportResult,
  effect: 'read',
  idempotent: false,
  permission: 'history_export',
  async handler(input, ctx) {
    checkHistoryRange(historyRange(input));
    const format = input.format ?? 'csv';
    const rowCount = await countHistoryRows(ctx, input);
    const link = await createExportLink(ctx, { subject: 'history', format, request: input, rowCount });
    const url = `${ctx.publicUrl}/exports/${link.id}`;
    const fileName = exportFileName({ kind: 'history', format, at: ctx.clock.now(), timeZone: ctx.timeZone });
    return {
      structured: {
        rowCount,
        format,
        url,
        expiresAt: link.expiresAt.toISOString(),
        fileName,
        embedded: false,
      },
      text: `History export of ${rowCount.toLocaleString('en-US')} event(s) as ${format.toUpperCase()}: ${url} (valid 1 hour).`,
      links: [
        {
          uri: url,
          name: fileName,
          mimeType: exportContentType(format),
        },
      ],
    };
  },
});
