import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { Hono, MiddlewareHandler } from 'hono';
import type { Db } from '../../db/client.ts';
import type { Via } from '../../directory/access/principal.ts';
import type { Clock } from '../../directory/activity/clock.ts';
import { DirectoryError } from '../../directory/errors.ts';
import {
  exportContentType,
  exportFileName,
  writeHistoryExport,
  writePartnersExport,
} from '../../directory/exports/export.ts';
import {
  filtersOf,
  findCapabilityLink,
  findExportLink,
  type HistoryExportRequest,
  historyExportRequest,
  historyRange,
  type PartnersExportRequest,
  partnersExportRequest,
} from '../../directory/exports/export-links.ts';
import { filterConditions } from '../../directory/search/search-filters.ts';
import { zodProblems } from '../../directory/zod-problems.ts';
import type { ToolContext } from '../../tools/index.ts';
import type { AuthEnv } from '../auth.ts';

type Job = (output: PassThrough) => Promise<unknown>;

/**
 * Starts an export into a stream and answers with it as an attachment once its first bytes are
 * written. A job that fails before that (a refusal, bad filters) throws here, so the caller gets
 * a proper 4xx instead of a 200 that breaks off; a failure after that ends the stream.
 */
async function streamed(
  ctx: ToolContext,
  options: { fileName: string; format: 'csv' | 'xlsx'; job: Job },
): Promise<Response> {
  const output = new PassThrough();
  const job = options.job(output);
  const started = await Promise.race([
    once(output, 'readable').then(() => true),
    job.then(
      () => true,
      (error: unknown) => {
        if (output.readableLength > 0) return true;
        throw error;
      },
    ),
  ]);
  if (started)
    job.catch((error) => {
      ctx.logger.error({ err: error }, 'export failed while streaming');
      output.destroy(error instanceof Error ? error : new Error('export failed'));
    });
  return new Response(Readable.toWeb(output) as ReadableStream, { headers: downloadHeaders(options) });
}

function downloadHeaders(options: { fileName: string; format: 'csv' | 'xlsx' }): Record<string, string> {
  return {
    'content-type': exportContentType(options.format),
    'content-disposition': `attachment; filename="${options.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

function partnersJob(ctx: ToolContext, request: PartnersExportRequest): Job {
  const filters = filtersOf(request);
  filterConditions(ctx, filters); // throws on bad filters before any byte is sent
  return (output) =>
    writePartnersExport(ctx, { filters, format: request.format ?? 'csv', columns: request.columns, output });
}

function historyJob(ctx: ToolContext, request: HistoryExportRequest): Job {
  return (output) =>
    writeHistoryExport(ctx, { ...historyRange(request), format: request.format ?? 'csv', output });
}

/** The query string of GET /api/export as an export request (repeatable country and column). */
function requestFromQuery(url: URL): Record<string, unknown> {
  const numbers = new Set(['minTotal', 'maxTotal']);
  const lists: Record<string, string> = {
    country: 'countries',
    countries: 'countries',
    column: 'columns',
    columns: 'columns',
  };
  const request: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    if (lists[key]) {
      const name = lists[key];
      request[name] = [
        ...((request[name] as string[]) ?? []),
        ...value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ];
    } else
      request[key] =
        numbers.has(key) && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  return request;
}

/**
 * GET /exports/<id> (links from the export tools and the assistant's "download the full list"):
 * the export runs, and is audited, when the link is opened; and GET /api/export (direct, for
 * curl and Excel).
 */
export function mountExportRoutes(
  app: Hono<AuthEnv>,
  options: {
    auth: MiddlewareHandler<AuthEnv>;
    contextFor: (principal: AuthEnv['Variables']['principal'], via: Via) => ToolContext;
    db: Db;
    clock: Clock;
  },
): void {
  // A link made for a Slack user opens without a token (a capability, for its hour); any other needs the bearer.
  const capabilityOrAuth: MiddlewareHandler<AuthEnv> = async (c, next) => {
    if (!c.req.header('authorization')) {
      const found = await findCapabilityLink(options.db, {
        id: c.req.param('id') ?? '',
        now: options.clock.now(),
      });
      if (found) {
        c.set('principal', found.principal);
        c.set('via', 'slack');
        return next();
      }
    }
    return options.auth(c, next);
  };

  app.get('/exports/:id', capabilityOrAuth, async (c) => {
    const ctx = options.contextFor(c.get('principal'), c.get('via') ?? 'http');
    const link = await findExportLink(ctx, c.req.param('id'));
    const at = ctx.clock.now();
    // Hono answers HEAD with this handler: a link checker's HEAD must not run (and audit) the export.
    if (c.req.method === 'HEAD') {
      const kind = link.subject === 'history' ? 'history' : partnersExportRequest.parse(link.request).kind;
      const fileName = exportFileName({ kind, format: link.format, at, timeZone: ctx.timeZone });
      return new Response(null, { headers: downloadHeaders({ fileName, format: link.format }) });
    }
    if (link.subject === 'history') {
      const request = historyExportRequest.parse(link.request);
      return streamed(ctx, {
        format: link.format,
        fileName: exportFileName({ kind: 'history', format: link.format, at, timeZone: ctx.timeZone }),
        job: historyJob(ctx, request),
      });
    }
    const request = partnersExportRequest.parse(link.request);
    return streamed(ctx, {
      format: link.format,
      fileName: exportFileName({ kind: request.kind, format: link.format, at, timeZone: ctx.timeZone }),
      job: partnersJob(ctx, request),
    });
  });

  app.get('/api/export', options.auth, async (c) => {
    const ctx = options.contextFor(c.get('principal'), 'http');
    const raw = requestFromQuery(new URL(c.req.url));
    const parsed = partnersExportRequest.safeParse(raw);
    if (!parsed.success) {
      throw new DirectoryError('validation', 'The export parameters have problems.', {
        problems: zodProblems(parsed.error, raw, partnersExportRequest),
      });
    }
    const format = parsed.data.format ?? 'csv';
    return streamed(ctx, {
      format,
      fileName: exportFileName({
        kind: parsed.data.kind,
        format,
        at: ctx.clock.now(),
        timeZone: ctx.timeZone,
      }),
      job: partnersJob(ctx, parsed.data),
    });
  });
}
