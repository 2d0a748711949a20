import { Writable } from 'node:stream';
import { ProtocolError, ProtocolErrorCode, type ReadResourceResult } from '@modelcontextprotocol/server';
import { DirectoryError } from '../../directory/errors.ts';
import {
  exportContentType,
  writeHistoryExport,
  writePartnersExport,
} from '../../directory/exports/export.ts';
import {
  filtersOf,
  findExportLink,
  historyExportRequest,
  historyRange,
  partnersExportRequest,
} from '../../directory/exports/export-links.ts';
import type { ToolContext } from '../../tools/index.ts';

/** Largest export resources/read returns; a bigger one is downloaded over HTTP. */
export const MAX_EXPORT_RESOURCE_BYTES = 5 * 1024 * 1024;

class ResourceTooLarge extends Error {}

/** The export id in a URI the export tools made (`<PUBLIC_URL>/exports/<id>`), or undefined. */
export function exportIdOf(options: { uri: string; publicUrl: string }): string | undefined {
  const prefix = `${options.publicUrl}/exports/`;
  if (!options.uri.startsWith(prefix)) return undefined;
  const id = options.uri.slice(prefix.length);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
}

/** Collects an export in memory up to the limit; past it, the writer fails and the read is refused. */
function boundedSink() {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_EXPORT_RESOURCE_BYTES) return done(new ResourceTooLarge());
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}

/**
 * resources/read on an export's URI: the same export GET /exports/<id> streams, for the same
 * principal only and within the link's hour, audited the same way. For stdio clients (where no
 * HTTP server may listen) and clients without the bearer token in a browser. CSV comes as text,
 * XLSX as a base64 blob. A missing, foreign or expired link answers -32602 with the reason.
 */
export async function readExportResource(ctx: ToolContext, uri: string): Promise<ReadResourceResult> {
  const id = exportIdOf({ uri, publicUrl: ctx.publicUrl });
  if (!id)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `No resource ${uri}; exports are ${ctx.publicUrl}/exports/<id>.`,
    );
  try {
    const link = await findExportLink(ctx, id);
    const { sink, bytes } = boundedSink();
    if (link.subject === 'history') {
      const request = historyExportRequest.parse(link.request);
      await writeHistoryExport(ctx, { ...historyRange(request), format: link.format, output: sink });
    } else {
      const request = partnersExportRequest.parse(link.request);
      await writePartnersExport(ctx, {
        filters: filtersOf(request),
        format: link.format,
        columns: request.columns,
        output: sink,
      });
    }
    const mimeType = exportContentType(link.format);
    const content = bytes();
    return {
      contents: [
        link.format === 'csv'
          ? { uri, mimeType, text: content.toString('utf8').replace(/^\uFEFF/, '') }
          : { uri, mimeType, blob: content.toString('base64') },
      ],
    };
  } catch (error) {
    if (
      error instanceof ResourceTooLarge ||
      (error as { cause?: unknown })?.cause instanceof ResourceTooLarge
    )
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `This export is over ${MAX_EXPORT_RESOURCE_BYTES / 1024 / 1024} MB; download it with GET ${uri} and the same Authorization header.`,
      );
    if (error instanceof DirectoryError && error.code !== 'internal')
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
    ctx.logger.error({ err: error, uri }, 'export resource failed');
    throw new ProtocolError(ProtocolErrorCode.InternalError, 'Something went wrong on our side.');
  }
}
