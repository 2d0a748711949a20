/** The closed set of error codes every interface maps from (HTTP status, MCP isError, Slack words). */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'conflict'
  | 'stale_version'
  | 'rate_limited'
  | 'unavailable'
  | 'database_busy'
  | 'internal';

/** One problem with one input field, phrased for the person (or agent) who has to fix it. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
  allowed?: string[];
  didYouMean?: string;
}

export interface DirectoryErrorOptions {
  problems?: FieldProblem[];
  /** One line telling the caller what to do next. */
  hint?: string;
  details?: Record<string, unknown>;
  retryable?: boolean;
  cause?: unknown;
  /** For the server log only (e.g. which hidden record a refusal was about); never sent to the caller. */
  logDetails?: Record<string, unknown>;
}

/** The one error type the domain throws. Its message is safe to show to the caller. */
export class DirectoryError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  readonly retryable: boolean;
  readonly logDetails?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: DirectoryErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'DirectoryError';
    this.code = code;
    this.problems = options.problems ?? [];
    this.hint = options.hint;
    this.details = options.details;
    this.retryable = options.retryable ?? (code === 'unavailable' || code === 'database_busy');
    this.logDetails = options.logDetails;
  }

  /** A JSON shape for tool results and HTTP bodies; never carries the cause. */
  toJSON() {
    return {
      error: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.problems.length ? { problems: this.problems } : {}),
      ...(this.details ? { details: this.details } : {}),
      retryable: this.retryable,
    };
  }
}

/** Throws a validation error listing every problem, or returns when there are none. */
export function throwIfProblems(problems: FieldProblem[], what = 'The record'): void {
  if (problems.length === 0) return;
  const fields = [...new Set(problems.map((p) => p.field))];
  throw new DirectoryError(
    'validation',
    `${what} was not saved: ${problems.length === 1 ? problems[0]!.message : `${problems.length} fields need attention (${fields.join(', ')}).`}`,
    { problems, hint: problems.map((p) => `${p.field}: ${p.message}`).join(' ') },
  );
}

export function notFound(what: string): DirectoryError {
  return new DirectoryError('not_found', `${what} was not found.`, {
    hint: 'Check the id or code (search_partners finds records by name, company or email).',
  });
}
