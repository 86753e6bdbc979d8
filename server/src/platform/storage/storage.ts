// File storage behind one interface: local disk under DATA_DIR by default; an S3-compatible
// implementation can replace it without touching callers (keys are opaque, URLs come from here).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

export interface StoredFile {
  key: string;
  url: string;
  size: number;
  contentType: string;
}

export interface Storage {
  put(input: { prefix: string; filename: string; contentType: string; body: Readable | Buffer; maxBytes?: number }): Promise<StoredFile>;
  /** A readable stream of a stored file, or null when missing. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  remove(key: string): Promise<void>;
  urlFor(key: string): string;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) { super(`File is larger than ${maxBytes} bytes`); }
}

const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]*\.[a-z0-9]{1,8}$/;

export class LocalDiskStorage implements Storage {
  constructor(private readonly root: string, private readonly publicBase: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  async put(input: { prefix: string; filename: string; contentType: string; body: Readable | Buffer; maxBytes?: number }): Promise<StoredFile> {
    const ext = (path.extname(input.filename).slice(1).toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin').slice(0, 8);
    const prefix = input.prefix.toLowerCase().replace(/[^a-z0-9/_-]/g, '').replace(/^\/+|\/+$/g, '') || 'files';
    const key = `${prefix}/${new Date().toISOString().slice(0, 10)}/${crypto.randomUUID()}.${ext}`;
    const file = this.pathFor(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.part`;
    let size = 0;
    try {
      if (Buffer.isBuffer(input.body)) {
        if (input.maxBytes && input.body.length > input.maxBytes) throw new FileTooLargeError(input.maxBytes);
        fs.writeFileSync(tmp, input.body);
        size = input.body.length;
      } else {
        const max = input.maxBytes;
        const body = input.body;
        body.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (max && size > max) body.destroy(new FileTooLargeError(max));
        });
        await pipeline(body, fs.createWriteStream(tmp));
        // @fastify/multipart truncates instead of erroring when its own limit is hit.
        if ((body as Readable & { truncated?: boolean }).truncated) throw new FileTooLargeError(max ?? size);
      }
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    return { key, url: this.urlFor(key), size, contentType: input.contentType };
  }

  async open(key: string): Promise<{ stream: Readable; size: number } | null> {
    if (!SAFE_KEY.test(key) || key.includes('..')) return null;
    const file = this.pathFor(key);
    try {
      const stat = fs.statSync(file);
      return { stream: fs.createReadStream(file), size: stat.size };
    } catch {
      return null;
    }
  }

  async remove(key: string): Promise<void> {
    if (!SAFE_KEY.test(key) || key.includes('..')) return;
    fs.rmSync(this.pathFor(key), { force: true });
  }

  urlFor(key: string): string {
    return `${this.publicBase}/${key}`;
  }

  private pathFor(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }
}

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', csv: 'text/csv', txt: 'text/plain', json: 'application/json',
};
export const contentTypeFor = (key: string) => CONTENT_TYPES[path.extname(key).slice(1).toLowerCase()] ?? 'application/octet-stream';
