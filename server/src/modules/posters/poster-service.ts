// Posters by content: the hash of everything drawn (texts, cover, the code's link or scene, the
// renderer's version) names the render. A hash seen before is served from storage; a new one is drawn
// once (concurrent asks for it share one drawing on a node; across nodes the first row wins).
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Image, loadImage } from '@napi-rs/canvas';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { posterFonts } from './fonts.ts';
import { type PosterLang, type PosterSpec, renderPoster } from './render.ts';
import type { PosterContent } from './sources.ts';
import './tables.ts';

/** Bump when the drawing changes: old renders are then simply not found by hash. */
const RENDER_VERSION = 1;
const MAX_COVER_BYTES = 8 * 1024 * 1024;
/** Renders kept this long, then drawn again on the next ask (each sharer's token makes its own render). */
export const KEEP_RENDERS_MS = 30 * 24 * 3600_000;
/** The query parameter of a shop link that carries a share token. */
export const SHARE_PARAM = 'share';

export type CodeKind = 'qr' | 'wxa';

export interface PosterRequest {
  lang: PosterLang;
  code: CodeKind;
  /** A share token from POST /api/shares, carried by the link or the mini-program scene. */
  share: string | null;
}

export interface PosterFile {
  hash: string;
  size: number;
  stream: Readable;
}

type CodeInput = { kind: 'qr'; text: string } | { kind: 'wxa'; page: string; scene: string };

export class PosterService {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly ctx: AppContext) {}

  /** The H5 link a poster's QR code opens. */
  link(content: PosterContent, share: string | null): string {
    const url = new URL(`${this.ctx.config.publicUrl}/shop${content.h5Path}`);
    if (share) url.searchParams.set(SHARE_PARAM, share);
    return url.toString();
  }

  private codeInput(content: PosterContent, req: PosterRequest): CodeInput {
    if (req.code === 'qr') return { kind: 'qr', text: this.link(content, req.share) };
    // The page reads the target from the prefix (p12, r3, m1) and the share token after the dot.
    const scene = req.share ? `${content.scenePrefix}.${req.share}` : content.scenePrefix;
    return { kind: 'wxa', page: content.wxaPage, scene };
  }

  hashOf(content: PosterContent, req: PosterRequest): string {
    const body = { v: RENDER_VERSION, lang: req.lang, content, code: this.codeInput(content, req) };
    return crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40);
  }

  /** The PNG for this content, drawn only when no render of the same content is stored. */
  async poster(content: PosterContent, req: PosterRequest): Promise<PosterFile> {
    const hash = this.hashOf(content, req);
    const stored = await this.open(hash);
    if (stored) return stored;
    let job = this.inflight.get(hash);
    if (!job) {
      job = this.draw(hash, content, req).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, job);
    }
    await job;
    const made = await this.open(hash);
    if (!made) throw new AppError(503, 'POSTER_UNAVAILABLE', 'The poster could not be stored; try again');
    return made;
  }

  /** Forgets renders older than `keepMs` and deletes their files, a batch at a time; returns how many. */
  async prune(keepMs = KEEP_RENDERS_MS, batch = 500): Promise<number> {
    const cutoff = new Date(Date.now() - keepMs);
    let total = 0;
    for (;;) {
      const old = await this.ctx.db
        .selectFrom('poster_renders')
        .select(['hash', 'storage_key'])
        .where('created_at', '<', cutoff)
        .limit(batch)
        .execute();
      if (old.length === 0) return total;
      await this.ctx.db
        .deleteFrom('poster_renders')
        .where(
          'hash',
          'in',
          old.map((r) => r.hash),
        )
        .execute();
      // A file removed under a concurrent ask is fine: open() finds it missing and draws it again.
      for (const r of old) await this.ctx.storage.remove(r.storage_key);
      total += old.length;
      if (old.length < batch) return total;
    }
  }

  private async open(hash: string): Promise<PosterFile | null> {
    const row = await this.ctx.db
      .selectFrom('poster_renders')
      .select(['storage_key'])
      .where('hash', '=', hash)
      .executeTakeFirst();
    if (!row) return null;
    const file = await this.ctx.storage.open(row.storage_key);
    if (file) return { hash, ...file };
    // The file went missing (storage cleared): forget the row so the next ask draws it again.
    await this.ctx.db.deleteFrom('poster_renders').where('hash', '=', hash).execute();
    return null;
  }

  private async draw(hash: string, content: PosterContent, req: PosterRequest): Promise<void> {
    posterFonts();
    const input = this.codeInput(content, req);
    // Network and drawing happen before any database write (no transaction is held across them).
    const code: PosterSpec['code'] =
      input.kind === 'qr' ? input : { kind: 'wxa', image: await loadImage(await this.wxaCode(input)) };
    const png = renderPoster({
      lang: req.lang,
      title: content.title,
      subtitle: content.subtitle,
      priceFen: content.priceFen,
      originalPriceFen: content.originalPriceFen,
      shopName: content.shopName,
      badge: content.badge,
      cover: await this.cover(content.coverUrl),
      code,
    });
    const file = await this.ctx.storage.put({
      prefix: `m${content.merchantId}/posters`,
      contentType: 'image/png',
      body: png,
    });
    const won = await this.ctx.db
      .insertInto('poster_renders')
      .values({ hash, storage_key: file.key, bytes: file.size, kind: content.kind })
      .onConflict((oc) => oc.column('hash').doNothing())
      .returning('hash')
      .executeTakeFirst();
    // Another node stored the same content first: keep theirs (the bytes are the same).
    if (!won) await this.ctx.storage.remove(file.key);
  }

  private async wxaCode(input: { page: string; scene: string }): Promise<Buffer> {
    const api = this.ctx.services.wechat.api;
    if (!api)
      throw new AppError(422, 'WECHAT_NOT_CONFIGURED', 'WeChat is not configured (WECHAT_APP_ID / WECHAT_APP_SECRET)');
    return (await api.wxaCodeUnlimited({ page: input.page, scene: input.scene, width: 430 })).body;
  }

  /** Covers come from our own storage only: a poster never fetches a URL a shop typed (no SSRF). */
  private async cover(url: string | null): Promise<Image | null> {
    const base = this.ctx.storage.urlFor('');
    if (!url?.startsWith(base)) return null;
    const file = await this.ctx.storage.open(url.slice(base.length));
    if (!file || file.size > MAX_COVER_BYTES) {
      file?.stream.destroy();
      return null;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream) chunks.push(chunk as Buffer);
    try {
      return await loadImage(Buffer.concat(chunks));
    } catch {
      return null; // not an image canvas can read: the poster gets the plain cover
    }
  }
}
