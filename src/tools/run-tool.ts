import { randomUUID } from 'node:crypto';
import { requirePermission } from '../directory/access/principal.ts';
import { DirectoryError } from '../directory/errors.ts';
import { controlCharacterProblems } from '../directory/values/text.ts';
import { zodProblems } from '../directory/zod-problems.ts';
import { mayCall, type ToolContext, type ToolDefinition, type ToolOutput } from './define-tool.ts';

export type ToolErrorPayload = ReturnType<DirectoryError['toJSON']> & { correlationId?: string };

export type ToolCallResult =
  | ({ isError: false } & ToolOutput<Record<string, unknown>>)
  | { isError: true; error: ToolErrorPayload; text: string };

/**
 * One line telling the caller what to fix: the message, then each problem with its field. A
 * problem the message already states (a single one) is not said twice, nor a suggestion its own
 * message already makes.
 */
function errorText(error: DirectoryError): string {
  if (error.code === 'forbidden') return `${error.message}`;
  if (error.problems.length) {
    const fixes = error.problems
      .filter((p) => !error.message.includes(p.message))
      .map(
        (p) =>
          `${p.field}: ${p.message}${p.didYouMean && !/did you mean/i.test(p.message) ? ` (did you mean ${p.didYouMean}?)` : ''}`,
      );
    return fixes.length ? `${error.message} Fix: ${fixes.join(' ')}` : error.message;
  }
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}

/**
 * Runs a tool for an interface: role check, input validation (every problem at once), the
 * handler, and error shaping. Internal errors are logged with a correlation id and shown as a
 * generic message, never a stack trace or SQL.
 */
export async function runTool(
  tool: ToolDefinition,
  args: unknown,
  ctx: ToolContext,
): Promise<ToolCallResult> {
  const fail = (error: DirectoryError, correlationId?: string): ToolCallResult => ({
    isError: true,
    error: { ...error.toJSON(), ...(correlationId ? { correlationId } : {}) },
    text: errorText(error),
  });
  const { principal } = ctx.actor;
  if (!mayCall(principal, tool)) {
    // Refused before reading the input, in the words the domain's own check uses.
    try {
      requirePermission(principal, tool.permission, `use ${tool.name}`);
    } catch (error) {
      if (error instanceof DirectoryError) return fail(error);
      throw error;
    }
  }
  const input = args ?? {};
  const unreadable =
    typeof input !== 'object' || Array.isArray(input)
      ? [
          {
            field: 'arguments',
            code: 'invalid_type',
            message: `The arguments of ${tool.name} must be a JSON object such as {"code": "CUS-000001"}, not ${Array.isArray(input) ? 'a list' : typeof input}.`,
          },
        ]
      : controlCharacterProblems(input);
  const parsed = unreadable.length ? undefined : tool.inputSchema.safeParse(input);
  if (!parsed?.success) {
    const problems = parsed ? zodProblems(parsed.error, input, tool.inputSchema) : unreadable;
    return fail(
      new DirectoryError(
        'validation',
        `The ${tool.name} input has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}.`,
        { problems },
      ),
    );
  }
  try {
    const output = await tool.handler(parsed.data, ctx);
    return { isError: false, ...output };
  } catch (error) {
    if (error instanceof DirectoryError && error.code !== 'internal') {
      if (error.logDetails)
        ctx.logger.info({ ...error.logDetails, tool: tool.name, principal: principal.id }, error.message);
      if (error.code === 'unavailable')
        ctx.logger.warn({ err: error.cause, tool: tool.name }, 'database unavailable');
      return fail(error);
    }
    const correlationId = randomUUID();
    ctx.logger.error(
      {
        err: error instanceof DirectoryError ? (error.cause ?? error) : error,
        tool: tool.name,
        correlationId,
      },
      'tool failed',
    );
    return fail(
      new DirectoryError(
        'internal',
        `Something went wrong on our side; nothing was saved. Reference: ${correlationId}.`,
      ),
      correlationId,
    );
  }
}
