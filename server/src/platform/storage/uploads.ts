// User uploads: the type is read from the file's own bytes (file-type's magic numbers), never
// from the client's Content-Type or file name, and only passive formats the product shows are
// kept: JPEG, PNG, WebP, GIF images and MP4 video. SVG, HTML and everything else is refused, so an
// upload can never become a page that runs script on our origin.
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.ts';
import { FileTooLargeError, type Storage, type StoredFile, type StoredType } from './storage.ts';

export type UploadKind = 'image' | 'video';

const ACCEPTED: Partial<Record<string, { contentType: StoredType; kind: UploadKind }>> = {
  'image/jpeg': { contentType: 'image/jpeg', kind: 'image' },
  'image/png': { contentType: 'image/png', kind: 'image' },
  'image/webp': { contentType: 'image/webp', kind: 'image' },
  'image/gif': { contentType: 'image/gif', kind: 'image' },
  'video/mp4': { contentType: 'video/mp4', kind: 'video' },
};
export const ACCEPTED_UPLOADS = 'JPEG, PNG, WebP or GIF images and MP4 videos';

const SAMPLE_BYTES = 4100; // what file-type needs to tell every format apart

export interface UploadLimits {
  image: number;
  video: number;
}

/**
 * Detect, check and store one uploaded file. Throws 415 UNSUPPORTED_MEDIA_TYPE for anything but
 * the accepted formats, 413 PAYLOAD_TOO_LARGE past the kind's limit.
 */
export async function storeUpload(
  storage: Storage,
  input: { prefix: string; body: Readable; limits: UploadLimits },
): Promise<StoredFile & { kind: UploadKind }> {
  const source = input.body as Readable & { truncated?: boolean };
  const { head, body } = await peek(source, SAMPLE_BYTES);
  const detected = head.length > 0 ? await fileTypeFromBuffer(head).catch(() => undefined) : undefined;
  const accepted = detected ? ACCEPTED[detected.mime] : undefined;
  if (!accepted) {
    for await (const _ of body) {
      /* read the rest of the part so the request completes */
    }
    throw unsupported();
  }
  const maxBytes = input.limits[accepted.kind];
  try {
    const prefix = `${input.prefix}/${accepted.kind}s`;
    const stored = await storage.put({ prefix, contentType: accepted.contentType, body, maxBytes });
    // @fastify/multipart truncates at its own limit instead of failing: a cut file is not kept.
    if (source.truncated) {
      await storage.remove(stored.key);
      throw new FileTooLargeError(maxBytes);
    }
    return { ...stored, kind: accepted.kind };
  } catch (err) {
    if (err instanceof FileTooLargeError) {
      const mb = Math.floor(maxBytes / 1024 / 1024);
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `Files of this kind may be at most ${mb} MB`);
    }
    throw err;
  }
}

const unsupported = () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Only ${ACCEPTED_UPLOADS} can be uploaded`);

/**
 * The first bytes of a stream, and a stream of all of it (those bytes included). Iterates by hand
 * rather than with for-await, which would destroy the source when it stops early.
 */
async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; body: Readable }> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    if (head.length) yield head;
    while (!done) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: head.subarray(0, bytes), body: Readable.from(all(), { objectMode: false }) };
}
