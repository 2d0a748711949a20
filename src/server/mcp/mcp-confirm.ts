import {
  acceptedContent,
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { runTool, type ToolContext, type ToolDefinition } from '../../tools/index.ts';

const confirmation = z.object({
  confirm: z.boolean().meta({ title: 'Yes, do it', description: 'This cannot be undone.' }),
});

/** What the adapter does with a call: run it (with these arguments) or answer without running it. */
export type ConfirmationStep =
  | { kind: 'run'; args: Record<string, unknown> }
  | { kind: 'answer'; result: CallToolResult | InputRequiredResult };

/**
 * Whether the person can be asked through the protocol: the client declared elicitation, in the
 * request's 2026 `_meta` envelope or at the 2025 handshake. A stateless 2025 HTTP request has no
 * handshake on its server and no way back to the client, so it cannot be asked.
 */
export function canElicit(server: Server, ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.getClientCapabilities();
  return capabilities?.elicitation !== undefined;
}

/** "SUP-000123 (Linh Phạm, Saigon Cotton)", or undefined when the caller cannot read the record. */
async function recordLabel(options: {
  getPartner: ToolDefinition | undefined;
  ref: unknown;
  context: ToolContext;
}): Promise<string | undefined> {
  if (!options.getPartner || typeof options.ref !== 'object' || options.ref === null) return undefined;
  const { id, code, kind } = options.ref as Record<string, unknown>;
  const found = await runTool(options.getPartner, { id, code, kind }, options.context);
  if (found.isError) return undefined;
  const partner = found.structured as {
    code: string;
    firstName: string;
    lastName?: string | null;
    companyName?: string | null;
  };
  const person = [partner.firstName, partner.lastName].filter(Boolean).join(' ');
  return `${partner.code} (${[person, partner.companyName].filter(Boolean).join(', ')})`;
}

/**
 * Confirmation of a destructive call (the tool's declared effect) by the person, through the
 * protocol: the call answers input_required with an elicitation naming the record and the effect
 * (2026-07-28 clients; the SDK turns it into elicitation/create for 2025 clients on a connection),
 * and runs only once the person accepts. A declined or cancelled confirmation writes nothing and
 * says so. A client that cannot be asked, or a call about a record the caller cannot read (the
 * tool then answers with its own error), keeps the tool's own rules (`confirm: true`). A tool
 * whose input names no single partner is described to the person by its arguments.
 */
export async function confirmThroughProtocol(options: {
  tool: ToolDefinition;
  args: Record<string, unknown>;
  ctx: ServerContext;
  askable: boolean;
  tools: ReadonlyMap<string, ToolDefinition>;
  context: ToolContext;
}): Promise<ConfirmationStep> {
  const { tool, args, ctx } = options;
  if (tool.effect !== 'destructive' || !options.askable) return { kind: 'run', args };
  const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
  const accepted = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation);
  if ((answer.kind === 'elicit' && answer.action !== 'accept') || accepted?.confirm === false) {
    const how = answer.kind === 'elicit' && answer.action === 'cancel' ? 'cancelled' : 'declined';
    return {
      kind: 'answer',
      result: {
        isError: true,
        content: [{ type: 'text', text: `Not done: the confirmation was ${how}, so nothing was changed.` }],
      },
    };
  }
  // The person's yes stands for the tool's own confirmation flag, whatever the model sent.
  const confirmed = 'confirm' in tool.inputSchema.shape ? { ...args, confirm: true } : args;
  if (accepted?.confirm === true) return { kind: 'run', args: confirmed };
  const ref = 'partner' in args ? args.partner : 'code' in args || 'id' in args ? args : undefined;
  // A tool whose input names no single record is described by its arguments.
  const { confirm: _modelConfirm, ...shown } = args;
  const label = ref
    ? await recordLabel({ getPartner: options.tools.get('get_partner'), ref, context: options.context })
    : JSON.stringify(shown);
  if (!label) return { kind: 'run', args };
  const item = typeof args.name === 'string' ? ` "${args.name}" of` : '';
  return {
    kind: 'answer',
    result: inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({
          message: `${tool.title}:${item} ${label}? This cannot be undone.`,
          requestedSchema: confirmation,
        }),
      },
    }),
  };
}
