import { describe, expect, it } from 'vitest';
import { annotationsOf, needsConfirmation } from './define-tool.ts';
import { findTool, tools } from './index.ts';

describe('tool effects', () => {
  it('derives the MCP annotations from each tool’s declared effect', () => {
    for (const tool of tools) {
      const annotations = annotationsOf(tool);
      expect(annotations.readOnlyHint, tool.name).toBe(tool.effect === 'read');
      expect(annotations.destructiveHint, tool.name).toBe(tool.effect === 'destructive');
    }
  });

  it('asks for a confirmation only before writes and removals', () => {
    const confirmed = tools
      .filter(needsConfirmation)
      .map((tool) => tool.name)
      .sort();
    expect(confirmed).toEqual([
      'create_partner',
      'import_partners',
      'link_counterpart',
      'merge_partners',
      'record_order',
      'remove_compliance_item',
      'remove_partner',
      'set_compliance_item',
      'set_partner_status',
      'undo_import',
      'update_partner',
    ]);
    // A compliance check only reads records (its breach notice is a consequence, not a change).
    expect(needsConfirmation(findTool('check_compliance')!)).toBe(false);
  });

  it('marks only removals destructive', () => {
    expect(
      tools
        .filter((tool) => tool.effect === 'destructive')
        .map((tool) => tool.name)
        .sort(),
    ).toEqual(['merge_partners', 'remove_compliance_item', 'remove_partner', 'undo_import']);
  });
});
