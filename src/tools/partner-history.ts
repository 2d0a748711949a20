import { z } from 'zod';
import { auditEventView, partnerHistory } from '../directory/partners/partner-read.ts';
import { partnerRef } from '../directory/partners/partner-ref.ts';
import { defineTool } from './define-tool.ts';

export const partnerHistoryTool = defineTool({
  name: 'partner_history',
  title: 'Change history of a record',
  description:
    'Lists the audit events of one record, newest first: who changed what (before and after), when and through which interface. Example: {"partner":{"code":"CUS-000042"}}.',
  inputSchema: z.strictObject({
    partner: partnerRef.describe('The partner: { code } or { id }.'),
    limit: z.number().int().min(1).max(500).optional().describe('How many events, newest first; default 50.'),
  }),
  outputSchema: z.object({ code: z.string(), events: z.array(auditEventView) }),
  effect: 'read',
  permission: 'read',
  async handler(input, ctx) {
    const result = await partnerHistory(ctx, { ref: input.partner, limit: input.limit ?? 50 });
    const lines = result.events.map(
      (e) =>
        `- ${e.at} ${e.action} by ${e.actor} via ${e.via}${e.changes ? `: ${Object.keys(e.changes).join(', ')}` : ''}`,
    );
    return {
      structured: result,
      text: `${result.code}: ${result.events.length} event(s)\n${lines.join('\n')}`,
    };
  },
});
