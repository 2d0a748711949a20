import { type ToolSet, tool } from 'ai';
import { zodProblems } from '../../directory/zod-problems.ts';
import {
  mayCall,
  needsConfirmation,
  runTool,
  type ToolContext,
  type ToolDefinition,
} from '../../tools/index.ts';

/** Largest tool result handed to the model, in characters; longer ones are cut and say so. */
const RESULT_LIMIT = 24_000;
const MODEL_PAGE_SIZE = 25;

/** A write the model asked for; it is shown to the user with Confirm / Cancel, never run directly. */
export interface ProposedChange {
  tool: ToolDefinition;
  args: Record<string, unknown>;
}

function capped(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text.length <= RESULT_LIMIT ? value : { truncated: true, partial: text.slice(0, RESULT_LIMIT) };
}

/**
 * The registry as AI SDK tools, limited to the asking user's role. Read tools run with the
 * user's principal; write tools only record a proposal for the user to confirm.
 */
export function aiTools(options: {
  tools: readonly ToolDefinition[];
  ctx: ToolContext;
  proposals: ProposedChange[];
}): ToolSet {
  const { ctx, proposals } = options;
  const set: ToolSet = {};
  for (const definition of options.tools) {
    if (!mayCall(ctx.actor.principal, definition)) continue;
    set[definition.name] = tool({
      description: definition.description,
      inputSchema: definition.inputSchema,
      execute: async (input: Record<string, unknown>) => {
        if (needsConfirmation(definition)) {
          const parsed = definition.inputSchema.safeParse(input);
          if (!parsed.success)
            return {
              error: 'validation',
              problems: zodProblems(parsed.error, input, definition.inputSchema),
            };
          proposals.push({ tool: definition, args: parsed.data as Record<string, unknown> });
          return {
            status: 'awaiting_user_confirmation',
            note: 'The user will be shown this change with Confirm and Cancel buttons; it is not done yet.',
          };
        }
        const args =
          definition.name === 'search_partners'
            ? { ...input, limit: Math.min(Number(input.limit ?? 10), MODEL_PAGE_SIZE) }
            : input;
        const result = await runTool(definition, args, ctx);
        return capped(result.isError ? result.error : result.structured);
      },
    });
  }
  return set;
}
