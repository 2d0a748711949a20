import { createHash } from 'node:crypto';
import type { FieldProblem } from '../errors.ts';

export const MAX_PICTURE_BYTES = 2 * 1024 * 1024;

export interface Picture {
  mimeType: 'image/jpeg' | 'image/png' | 'image/gif';
  data: Buffer;
  bytes: number;
  sha256: string;
}

/** The image type by its first bytes; the file name is never trusted. */
export function sniffImageType(data: Buffer): Picture['mimeType'] | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  const head = data.subarray(0, 6).toString('latin1');
  if (head === 'GIF87a' || head === 'GIF89a') return 'image/gif';
  return undefined;
}

/** Checks a profile picture: under 2 MB and a real JPG, PNG or GIF. */
export function readPicture(data: Buffer, field: string, problems: FieldProblem[]): Picture | undefined {
  if (data.length === 0) {
    problems.push({ field, code: 'empty_file', message: 'The picture file is empty.' });
    return undefined;
  }
  if (data.length >= MAX_PICTURE_BYTES) {
    const megabytes = (data.length / 1024 / 1024).toFixed(1);
    problems.push({
      field,
      code: 'file_too_large',
      message: `The picture is ${megabytes} MB; it must be less than 2 MB. Resize or compress it and try again.`,
    });
    return undefined;
  }
  const mimeType = sniffImageType(data);
  if (!mimeType) {
    problems.push({
      field,
      code: 'unsupported_file_type',
      message:
        'The picture must be a JPG, JPEG, PNG or GIF image; this file is not one (checked by its content, not its name).',
      allowed: ['image/jpeg', 'image/png', 'image/gif'],
    });
    return undefined;
  }
  return { mimeType, data, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Decodes a base64 picture upload and checks it. */
export function readBase64Picture(
  base64: string,
  field: string,
  problems: FieldProblem[],
): Picture | undefined {
  const text = base64.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
    problems.push({ field, code: 'invalid_base64', message: 'The picture must be sent as base64 text.' });
    return undefined;
  }
  return readPicture(Buffer.from(text, 'base64'), field, problems);
}
