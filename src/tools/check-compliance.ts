import {
  checkCompliance,
  checkComplianceInput,
  checkComplianceResult,
} from '../directory/compliance/compliance-check.ts';
import { defineTool } from './define-tool.ts';

export const checkComplianceTool = defineTool({
  name: 'check_compliance',
  title: 'Check compliance and data quality',
  description:
    'Checks whether orders may be shared with a partner for an ETD: each compliance item is ok, expiring (valid to within the configured days of the ETD) or expired; the verdict orderSharing is allowed, blocked (failing items with blocking on, or the partner disabled or unapproved) or allowed_with_breach, with reasons. Also lists data-quality problems (missing company, phone, address parts, website, since date). Give one partner or a scope of search filters. Example: {"partner":{"code":"SUP-000045"},"etd":"2026-12-15"}.',
  inputSchema: checkComplianceInput,
  outputSchema: checkComplianceResult,
  effect: 'read',
  permission: 'read',
  async handler(input, ctx) {
    const result = await checkCompliance(ctx, input);
    const lines = result.partners.map(
      (p) =>
        `- ${p.code} ${p.name}: ${p.orderSharing}${p.reasons.length ? ` (${p.reasons.join(' ')})` : ''}${p.dataQuality.length ? `; data quality: ${p.dataQuality.map((d) => d.field).join(', ')}` : ''}`,
    );
    return {
      structured: result,
      text: `Compliance against ETD ${result.etd} (${result.windowDays}-day window), ${result.partners.length} partner(s)${result.truncated ? ' (first 200)' : ''}:\n${lines.join('\n')}`,
    };
  },
});
