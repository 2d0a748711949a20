import type { LanguageModel } from 'ai';
import { activityGlossary } from '../directory/activity/window.ts';
import { exportLinkUrl, offerPartnersExport } from '../directory/exports/export-links.ts';
import type { SearchInput, SearchResult } from '../directory/search/search.ts';
import { describeTotal, mayCall, runTool, type ToolContext, type ToolDefinition } from '../tools/index.ts';
import { describeChange, proposeChange } from './change-request.ts';
import { clarifyReply } from './clarify-reply.ts';
import type { ProposedChange } from './model/ai-tools.ts';
import { answerCompliance, answerLookup, answerTotals } from './other-answers.ts';
import { partnerReply } from './partner-reply.ts';
import { readQuestion } from './reader/question-reader.ts';
import { answerByDate, checkCurrency, withCorrections } from './reading-answers.ts';
import { type BotReply, isReply, plainReply, reply } from './reply.ts';
import { capitalize, describeSearch, ROWS_SHOWN, searchReply } from './search-reply.ts';
import { summaryReply } from './summary-reply.ts';

export interface BotAnswer {
  reply: BotReply;
  /** A change to show with Confirm / Cancel; never run before the asking user confirms. */
  proposal?: ProposedChange & { summary: string };
  /** Which path answered: the question reader, the model, or the help text. */
  path: 'reader' | 'model' | 'help';
}

export const exampleQuestions = [
  'which suppliers are inactive in Vietnam',
  'top 5 customers by total sales in Germany',
  'how many new customers this month',
  'show SUP-000123',
  'who is Acme',
  'summary',
];

function helpReply(understood: string[]): BotReply {
  const lead = understood.length
    ? `I understood: ${understood.join(', ')}, but not the whole question.`
    : 'I answer questions about our customers and suppliers.';
  return reply([
    { type: 'paragraph', text: lead },
    { type: 'paragraph', text: 'Try for example:' },
    { type: 'rows', rows: exampleQuestions },
  ]);
}

export interface AnswerOptions {
  question: string;
  ctx: ToolContext;
  tools: readonly ToolDefinition[];
  model?: LanguageModel;
}

function toolNamed(tools: readonly ToolDefinition[], name: string): ToolDefinition {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`tool ${name} is not registered`);
  return found;
}

/** Runs a read tool for the bot; a tool error becomes the reply. */
async function read<T>(
  options: AnswerOptions,
  name: string,
  args: Record<string, unknown>,
): Promise<T | BotReply> {
  const result = await runTool(toolNamed(options.tools, name), args, options.ctx);
  if (result.isError) return plainReply(result.text);
  return result.structured as T;
}

/**
 * The link to the full list of a search: stored now, exported only when someone opens it. No
 * link (and the answer without it) when it cannot be made.
 */
async function fullListUrl(
  options: AnswerOptions,
  search: { args: SearchInput; total: number },
): Promise<string | undefined> {
  const { sortBy: _s, sortDir: _d, limit: _l, cursor: _c, ...filters } = search.args;
  try {
    const link = await offerPartnersExport(options.ctx, {
      request: { ...filters, format: 'csv' },
      rowCount: search.total,
    });
    return exportLinkUrl({ publicUrl: options.ctx.publicUrl, id: link.id });
  } catch (error) {
    options.ctx.logger.warn({ err: error }, 'no link to the full list');
    return undefined;
  }
}

async function answerSearch(options: AnswerOptions, args: SearchInput): Promise<BotReply> {
  const result = await read<SearchResult>(options, 'search_partners', {
    ...args,
    limit: Math.min(args.limit ?? ROWS_SHOWN, ROWS_SHOWN),
  });
  if (isReply(result)) return result;
  const exportUrl =
    result.total > ROWS_SHOWN && !args.limit
      ? await fullListUrl(options, { args, total: result.total })
      : undefined;
  return searchReply({ args, result, exportUrl });
}

async function answerCount(options: AnswerOptions, args: SearchInput): Promise<BotReply> {
  const result = await read<SearchResult>(options, 'search_partners', {
    ...args,
    limit: 1,
    sortBy: undefined,
    sortDir: undefined,
  });
  if (isReply(result)) return result;
  const count = result.totalIsExact ? result.total : capitalize(describeTotal(result));
  return reply([
    { type: 'heading', text: describeSearch({ ...args, sortBy: undefined }, count) },
    {
      type: 'note',
      text: `As of ${result.asOf}. Activity: ${activityGlossary}.`,
    },
  ]);
}

/**
 * Answers one question as the asking user: the deterministic reader first (no model, no
 * cost), then the model when one is configured, else a clarifying answer: what was understood,
 * a question about the rest and the closest complete question as a button.
 */
export async function answerQuestion(options: AnswerOptions): Promise<BotAnswer> {
  const reading = readQuestion(options.question);
  if (reading.complete) {
    switch (reading.intent) {
      case 'help':
        return { reply: helpReply([]), path: 'help' };
      case 'search':
      case 'count': {
        // A stated currency is checked against the records'; a period or "never ordered" pages by date.
        const answer =
          (await checkCurrency(options, reading)) ??
          (reading.period || reading.neverOrdered
            ? await answerByDate(options, reading)
            : reading.intent === 'search'
              ? await answerSearch(options, reading.args)
              : await answerCount(options, reading.args));
        return { reply: withCorrections(answer, reading.corrections), path: 'reader' };
      }
      case 'compliance':
        return {
          reply: withCorrections(await answerCompliance(options, reading), reading.corrections),
          path: 'reader',
        };
      case 'totals':
        return {
          reply: withCorrections(await answerTotals(options, reading), reading.corrections),
          path: 'reader',
        };
      case 'lookup':
        return { reply: await answerLookup(options, reading), path: 'reader' };
      case 'get': {
        const partner = await read<Record<string, unknown>>(options, 'get_partner', {
          code: reading.code,
          ...(reading.kind ? { kind: reading.kind } : {}),
        });
        return { reply: isReply(partner) ? partner : partnerReply(partner), path: 'reader' };
      }
      case 'summary':
        return { reply: await summaryReply({ ctx: options.ctx, model: options.model }), path: 'reader' };
      case 'create':
      case 'update':
      case 'set_status': {
        const outcome = await proposeChange({ reading, ctx: options.ctx, tools: options.tools });
        if ('ask' in outcome) return { reply: plainReply(outcome.ask), path: 'reader' };
        return {
          reply: plainReply(describeChange(outcome.proposal)),
          proposal: outcome.proposal,
          path: 'reader',
        };
      }
      default:
        break;
    }
  }
  if (options.model) {
    const { answerWithModel } = await import('./model/ai-answer.ts');
    const answer = await answerWithModel({
      model: options.model,
      question: options.question,
      ctx: options.ctx,
      tools: options.tools,
    });
    const first = answer.proposals[0];
    if (first && mayCall(options.ctx.actor.principal, first.tool)) {
      const proposal = { ...first, summary: describeChange({ ...first, summary: '' }) };
      return { reply: plainReply(`${answer.text}\n${proposal.summary}`), proposal, path: 'model' };
    }
    return { reply: plainReply(answer.text), path: 'model' };
  }
  // No model: say what was understood and ask about the rest; never answer a guess.
  return {
    reply: clarifyReply({ question: options.question, reading, examples: exampleQuestions }),
    path: 'help',
  };
}
