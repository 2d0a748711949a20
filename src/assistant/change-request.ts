import { DirectoryError } from '../directory/errors.ts';
import { totalLabel } from '../directory/partners/partner-field-rules.ts';
import { normalizePartnerFields } from '../directory/partners/partner-fields.ts';
import { findPartner } from '../directory/partners/partner-ref.ts';
import { createPartnerInput, partnerChangesInput } from '../directory/partners/partner-schema.ts';
import { zodProblems } from '../directory/zod-problems.ts';
import { mayCall, type ToolContext, type ToolDefinition } from '../tools/index.ts';
import type { ProposedChange } from './model/ai-tools.ts';
import type { Reading } from './reader/question-reader.ts';

type ChangeReading = Extract<Reading, { intent: 'create' | 'update' | 'set_status' }>;
export type Proposal = ProposedChange & { summary: string };

const questions: Record<string, (kind: string) => string> = {
  firstName: (kind) => `What is the first name of the new ${kind}'s contact?`,
  email: (kind) => `What is the email address of the new ${kind}?`,
  totalSales: () => 'What are the total sales so far? (0 is fine when there is no history.)',
  totalPurchases: () => 'What are the total purchases so far? (0 is fine when there is no history.)',
};

const toolFor = {
  create: 'create_partner',
  update: 'update_partner',
  set_status: 'set_partner_status',
} as const;

/** "Create customer Anna Nguyen (anna@acme.vn)...": the exact change, in words, before it is confirmed. */
export function describeChange(proposal: Proposal | (ProposedChange & { summary?: string })): string {
  const args = proposal.args as Record<string, unknown>;
  const fields = (values: Record<string, unknown>) =>
    Object.entries(values)
      .filter(
        ([key, value]) =>
          value !== undefined &&
          !['kind', 'termsAccepted', 'code', 'id', 'expectedVersion', 'changes', 'confirm'].includes(key),
      )
      .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
      .join(', ');
  switch (proposal.tool.name) {
    case 'create_partner':
      return `Create ${args.kind} with ${fields(args)}. Confirming also accepts the terms and privacy confirmation.`;
    case 'update_partner':
      return `Change ${args.code ?? args.id}: ${fields(args.changes as Record<string, unknown>)}.`;
    case 'set_partner_status':
      return `${args.status === 'disabled' ? 'Disable' : 'Enable'} ${args.code ?? args.id}${args.reason ? ` (reason: ${args.reason})` : ''}.`;
    default:
      return `Run ${proposal.tool.name} with ${JSON.stringify(args)}.`;
  }
}

/** The first problem, as a plain question a person can answer. */
function askAbout(problems: { field: string; message: string }[]): string {
  const problem = problems[0]!;
  return `${problem.message} Please ask again with the ${problem.field} corrected.`;
}

/**
 * Turns a change request into a proposal for Confirm / Cancel, or a plain question when a
 * required value is missing or a value is not valid. Nothing is written here.
 */
export async function proposeChange(options: {
  reading: ChangeReading;
  ctx: ToolContext;
  tools: readonly ToolDefinition[];
}): Promise<{ ask: string } | { proposal: Proposal }> {
  const { reading, ctx } = options;
  const tool = options.tools.find((t) => t.name === toolFor[reading.intent])!;
  const { principal } = ctx.actor;
  if (!mayCall(principal, tool)) {
    return {
      ask: `Only ${tool.role}s and admins can make that change; your role is ${principal.role}. Ask an admin for the ${tool.role} role.`,
    };
  }
  if (reading.intent === 'create') {
    const missing = reading.missing.filter((field) => questions[field]);
    if (missing.length)
      return {
        ask: `${questions[missing[0]!]!(reading.kind)} Ask again with it included, e.g. "create ${reading.kind} Anna Nguyen anna@acme.vn ${totalLabel(reading.kind).toLowerCase()} 0".`,
      };
    const args = { kind: reading.kind, ...reading.fields, termsAccepted: true };
    const parsed = createPartnerInput.safeParse(args);
    if (!parsed.success) return { ask: askAbout(zodProblems(parsed.error, args, createPartnerInput)) };
    const { kind, termsAccepted: _t, ...fields } = parsed.data;
    const { problems } = normalizePartnerFields({ kind, input: fields });
    if (problems.length) return { ask: askAbout(problems) };
    const proposal = { tool, args: parsed.data as Record<string, unknown>, summary: '' };
    return { proposal: { ...proposal, summary: describeChange(proposal) } };
  }
  try {
    const current = await findPartner(ctx.db, { ref: { code: reading.code }, principal });
    if (reading.intent === 'update') {
      const parsed = partnerChangesInput.safeParse(reading.changes);
      if (!parsed.success)
        return { ask: askAbout(zodProblems(parsed.error, reading.changes, partnerChangesInput)) };
      const { problems } = normalizePartnerFields({ kind: current.kind, input: parsed.data, current });
      if (problems.length) return { ask: askAbout(problems) };
      const proposal = {
        tool,
        args: {
          code: current.code,
          kind: current.kind,
          expectedVersion: current.version,
          changes: parsed.data,
        },
        summary: '',
      };
      return { proposal: { ...proposal, summary: describeChange(proposal) } };
    }
    const proposal = {
      tool,
      args: {
        code: current.code,
        kind: current.kind,
        status: reading.status,
        ...(reading.reason ? { reason: reading.reason } : {}),
      },
      summary: '',
    };
    return { proposal: { ...proposal, summary: describeChange(proposal) } };
  } catch (error) {
    if (error instanceof DirectoryError) return { ask: error.message };
    throw error;
  }
}
