import { z } from 'zod';
import { activityDefinitions } from '../directory/activity/window.ts';
import { partnerKinds } from '../directory/partners/partner-schema.ts';
import { directorySummary, directorySummaryResult, type KindCounts } from '../directory/summary/summary.ts';
import { defineTool } from './define-tool.ts';

const line = (label: string, counts: KindCounts | undefined) =>
  counts
    ? `${label}: ${counts.all} in all (${counts.enabled} enabled, ${counts.disabled} disabled), ${counts.new} new, ${counts.active} active, ${counts.inactive} inactive`
    : undefined;

export const directorySummaryTool = defineTool({
  name: 'directory_summary',
  title: 'Directory summary counts',
  description: `Counts customers and suppliers as the product defines them: All, New (${activityDefinitions.new}), Active (${activityDefinitions.active}) and Inactive (${activityDefinitions.inactive}), with the enabled/disabled split, top countries and money totals. Use for "how many" questions. Example: {"kind":"customer","countries":["DE"]}.`,
  inputSchema: z.strictObject({
    kind: z.enum(partnerKinds).optional().describe('customer or supplier; both when omitted.'),
    countries: z
      .array(z.string().max(80))
      .max(50)
      .optional()
      .describe('Limit to countries (ISO codes or English names).'),
  }),
  outputSchema: directorySummaryResult,
  effect: 'read',
  permission: 'read',
  async handler(input, ctx) {
    const summary = await directorySummary(ctx, input);
    const lines = [line('Customers', summary.customer), line('Suppliers', summary.supplier)].filter(Boolean);
    return {
      structured: summary,
      text: `As of ${summary.asOf} (${summary.timeZone}; ${summary.windowDays}-day window from ${summary.windowStart}):\n${lines.join('\n')}`,
    };
  },
});
