import { checkComplianceTool } from './check-compliance.ts';
import { createPartnerTool } from './create-partner.ts';
import type { ToolDefinition } from './define-tool.ts';
import { directorySummaryTool } from './directory-summary.ts';
import { exportHistoryTool } from './export-history.ts';
import { exportPartnersTool } from './export-partners.ts';
import { findDuplicatesTool } from './find-duplicates.ts';
import { getImportTool } from './get-import.ts';
import { getPartnerTool } from './get-partner.ts';
import { importPartnersTool } from './import-partners.ts';
import { linkCounterpartTool } from './link-counterpart.ts';
import { listOrdersTool } from './list-orders.ts';
import { mergePartnersTool } from './merge-partners.ts';
import { partnerHistoryTool } from './partner-history.ts';
import { recordOrderTool } from './record-order.ts';
import { removeComplianceItemTool } from './remove-compliance-item.ts';
import { removePartnerTool } from './remove-partner.ts';
import { searchPartnersTool } from './search-partners.ts';
import { setComplianceItemTool } from './set-compliance-item.ts';
import { setPartnerStatusTool } from './set-partner-status.ts';
import { undoImportTool } from './undo-import.ts';
import { updatePartnerTool } from './update-partner.ts';

/** The one list of tools. MCP, Slack and the CLI all serve exactly these. */
export const tools: readonly ToolDefinition[] = [
  searchPartnersTool,
  getPartnerTool,
  directorySummaryTool,
  createPartnerTool,
  updatePartnerTool,
  setPartnerStatusTool,
  removePartnerTool,
  recordOrderTool,
  listOrdersTool,
  setComplianceItemTool,
  removeComplianceItemTool,
  checkComplianceTool,
  partnerHistoryTool,
  exportPartnersTool,
  exportHistoryTool,
  importPartnersTool,
  getImportTool,
  findDuplicatesTool,
  mergePartnersTool,
  linkCounterpartTool,
  undoImportTool,
] as unknown as readonly ToolDefinition[];

export function findTool(name: string): ToolDefinition | undefined {
  return tools.find((tool) => tool.name === name);
}

export type { ToolContext, ToolDefinition, ToolEffect } from './define-tool.ts';
export { annotationsOf, mayCall, needsConfirmation } from './define-tool.ts';
export { describeTotal, money } from './format.ts';
export { runTool } from './run-tool.ts';
