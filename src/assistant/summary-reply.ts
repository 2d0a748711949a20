import type { LanguageModel } from 'ai';
import type { Clock } from '../directory/activity/clock.ts';
import { computeDigestFacts, type DigestFacts } from '../directory/summary/digest-facts.ts';
import type { ToolContext } from '../tools/index.ts';
import { type BotReply, reply } from './reply.ts';
import { factLines, writeSummary } from './summary-text.ts';

/** The summary as a message: the (model or template) text, with the facts always shown under it. */
export function renderSummary(options: {
  title: string;
  text: string;
  facts: DigestFacts;
  source: 'model' | 'template';
}): BotReply {
  const note =
    options.source === 'model' ? 'Written by AI from the facts below.' : 'Summary from the facts below.';
  return reply([
    { type: 'heading', text: options.title },
    { type: 'paragraph', text: options.text },
    { type: 'note', text: `${note} As of ${options.facts.asOf} (${options.facts.timeZone}).` },
    { type: 'rows', rows: factLines(options.facts) },
  ]);
}

const DAY_MS = 24 * 3600 * 1000;

/** The start of the last 24 hours: what `/partners summary` and the digest previews cover. */
export function lastDayStart(clock: Clock): Date {
  return new Date(clock.now().getTime() - DAY_MS);
}

/** `/partners summary`: facts for the asking user over the last 24 hours, and the text. */
export async function summaryReply(options: {
  ctx: ToolContext;
  model?: LanguageModel;
  since?: Date;
}): Promise<BotReply> {
  const since = options.since ?? lastDayStart(options.ctx.clock);
  const facts = await computeDigestFacts(options.ctx, { since });
  const { text, source } = await writeSummary({ facts, model: options.model, logger: options.ctx.logger });
  return renderSummary({ title: `Directory summary, ${facts.asOf}`, text, facts, source });
}
