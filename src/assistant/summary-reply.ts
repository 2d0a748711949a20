import type { LanguageModel } from 'ai';
import { computeDigestFacts, type DigestFacts } from '../directory/summary/digest-facts.ts';
import type { ToolContext } from '../tools/index.ts';
import { type BotReply, context, escapeMrkdwn, reply, section } from './reply.ts';
import { factLines, writeSummary } from './summary-text.ts';

/** The summary as a message: the (model or template) text, with the facts always shown under it. */
export function renderSummary(options: {
  title: string;
  text: string;
  facts: DigestFacts;
  source: 'model' | 'template';
}): BotReply {
  const lines = factLines(options.facts);
  const note =
    options.source === 'model' ? 'Written by AI from the facts below.' : 'Summary from the facts below.';
  return reply(`${options.title}\n${options.text}\n\n${lines.join('\n')}`, [
    section(`*${escapeMrkdwn(options.title)}*\n${escapeMrkdwn(options.text)}`),
    context(`${note} As of ${options.facts.asOf} (${options.facts.timeZone}).`),
    section(lines.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')),
  ]);
}

/** `/partners summary`: facts for the asking user over the last 24 hours, and the text. */
export async function summaryReply(options: {
  ctx: ToolContext;
  model?: LanguageModel;
  since?: Date;
}): Promise<BotReply> {
  const since = options.since ?? new Date(options.ctx.clock.now().getTime() - 24 * 3600 * 1000);
  const facts = await computeDigestFacts(options.ctx, { since });
  const { text, source } = await writeSummary({ facts, model: options.model, logger: options.ctx.logger });
  return renderSummary({ title: `Directory summary, ${facts.asOf}`, text, facts, source });
}
