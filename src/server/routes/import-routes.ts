import { PassThrough, Readable } from 'node:stream';
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Via } from '../../directory/access/principal.ts';
import { DirectoryError } from '../../directory/errors.ts';
import {
  importOptionsInput,
  importView,
  MAX_IMPORT_BYTES,
  startImport,
  writeRejectedRowsCsv,
} from '../../directory/imports/imports.ts';
import { zodProblems } from '../../directory/zod-problems.ts';
import type { ToolContext } from '../../tools/index.ts';
import { type AuthEnv, localCliPrincipal } from '../auth.ts';
import { errorResponse } from '../http-errors.ts';

/** The import options from the query string (dryRun=1|true, match, onError, sheet, map). */
function optionsFromQuery(url: URL) {
  const query = url.searchParams;
  const flag = (value: string | null) =>
    value === null ? undefined : ['1', 'true', 'yes'].includes(value.toLowerCase());
  const raw = {
    kind: query.get('kind') ?? undefined,
    dryRun: flag(query.get('dryRun')),
    match: query.get('match') ?? undefined,
    onError: query.get('onError') ?? undefined,
    sheet: query.get('sheet') ?? undefined,
    map: query.get('map') ?? undefined,
  };
  const input = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  const parsed = importOptionsInput.safeParse(input);
  if (!parsed.success)
    throw new DirectoryError('validation', 'The import options have problems.', {
      problems: zodProblems(parsed.error, input, importOptionsInput),
    });
  return parsed.data;
}

/**
 * POST /api/imports?kind=...: the file is the body (CSV or XLSX, told by its bytes), stored as it
 * arrives (up to MAX_IMPORT_BYTES) and imported on the job queue; answers 202 with the import at
 * once. GET /api/imports/<id>: status, progress, counts and the first rejected rows.
 * GET /api/imports/<id>/rejected.csv: every rejected row with its Error, ready to fix and import.
 */
export function mountImportRoutes(
  app: Hono<AuthEnv>,
  options: {
    auth: MiddlewareHandler<AuthEnv>;
    contextFor: (principal: AuthEnv['Variables']['principal'], via: Via) => ToolContext;
  },
): void {
  const { auth, contextFor } = options;
  const viaOf = (principal: AuthEnv['Variables']['principal']): Via =>
    principal.id === localCliPrincipal.id ? 'cli' : 'http';
  const uploadLimit = bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        'payload_too_large',
        `The file is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it.`,
      ),
  });

  app.post('/api/imports', auth, uploadLimit, async (c) => {
    const url = new URL(c.req.url);
    const input = optionsFromQuery(url);
    const body = c.req.raw.body;
    if (!body) return errorResponse(c, 'validation', 'Send the CSV or XLSX file as the request body.');
    const principal = c.get('principal');
    const ctx = contextFor(principal, viaOf(principal));
    const view = await startImport(ctx, {
      body: body as unknown as AsyncIterable<Uint8Array>,
      fileName: url.searchParams.get('fileName') ?? undefined,
      input,
      onBackgroundError: (error) => ctx.logger.error({ err: error }, 'import failed'),
    });
    c.header('Location', `/api/imports/${view.id}`);
    return c.json(view, 202);
  });

  app.get('/api/imports/:id', auth, async (c) => {
    const principal = c.get('principal');
    return c.json(await importView(contextFor(principal, viaOf(principal)), c.req.param('id')));
  });

  app.get('/api/imports/:id/rejected.csv', auth, async (c) => {
    const principal = c.get('principal');
    const ctx = contextFor(principal, viaOf(principal));
    const view = await importView(ctx, c.req.param('id')); // refuses before any byte is sent
    const output = new PassThrough();
    writeRejectedRowsCsv(ctx, { id: view.id, output }).catch((error) => {
      ctx.logger.error({ err: error }, 'rejected rows download failed');
      output.destroy(error instanceof Error ? error : new Error('download failed'));
    });
    return new Response(Readable.toWeb(output) as ReadableStream, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="rejected-rows-${view.id}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
