import type { LanguageModel } from 'ai';
import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { answerQuestion } from '../../assistant/answer-question.ts';
import { lastDayStart } from '../../assistant/summary-reply.ts';
import type { Principal, Via } from '../../directory/access/principal.ts';
import { DirectoryError } from '../../directory/errors.ts';
import { buildDigest, type DigestDeps } from '../../slack/digest.ts';
import type { ToolContext } from '../../tools/index.ts';
import { tools } from '../../tools/index.ts';
import { type AuthEnv, localCliPrincipal } from '../auth.ts';

const askBody = z.strictObject({ question: z.string().min(1).max(2000) });

/**
 * The bot without Slack: POST /api/ask answers a question as the caller (what `partnerbook ask`
 * uses while a server holds the embedded database), GET /api/digest previews today's digest.
 */
export function mountBotRoutes(
  app: Hono<AuthEnv>,
  options: {
    auth: MiddlewareHandler<AuthEnv>;
    contextFor: (principal: Principal, via: Via) => ToolContext;
    model?: LanguageModel;
    digest: Omit<DigestDeps, 'replicaId'>;
  },
): void {
  app.post('/api/ask', options.auth, async (c) => {
    const parsed = askBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      throw new DirectoryError('validation', 'Send {"question": "..."}.', {
        problems: [
          {
            field: 'question',
            code: 'required',
            message: 'Ask a question, e.g. "which suppliers are inactive in Vietnam".',
          },
        ],
      });
    const principal = c.get('principal');
    const answer = await answerQuestion({
      question: parsed.data.question,
      ctx: options.contextFor(principal, principal.id === localCliPrincipal.id ? 'cli' : 'http'),
      tools,
      model: options.model,
    });
    return c.json({
      text: answer.reply.text,
      path: answer.path,
      proposal: answer.proposal
        ? { tool: answer.proposal.tool.name, args: answer.proposal.args, summary: answer.proposal.summary }
        : null,
    });
  });

  app.get('/api/digest', options.auth, async (c) => {
    const since = lastDayStart(options.digest.clock);
    const { reply, facts } = await buildDigest({ ...options.digest, replicaId: 'preview' }, { since });
    return c.json({ text: reply.text, facts });
  });
}
