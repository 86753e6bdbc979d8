// Uploads cannot run code on our origin: the type is read from the bytes, only passive image and
// video formats are kept under an extension we choose, and every stored file is served as what it
// is, sandboxed, and as a download when it is not a plain image or video.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { MEDIA_BYTES } from '../../../test/fixtures/media-bytes.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('media uploads on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '上传小店', '13800007701');
  });
  afterAll(async () => {
    await node?.close();
  });

  const upload = async (bytes: Buffer, declaredType: string, filename: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: declaredType }), filename);
    const headers = { authorization: `Bearer ${shop.owner.token}` };
    const url = `${node.url}/api/merchants/${shop.merchantId}/media`;
    const res = await fetch(url, { method: 'POST', body: form, headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('refuses an SVG with a script, whatever type or name the client claims', async () => {
    const claims = [
      ['image/svg+xml', 'cover.svg'],
      ['image/png', 'cover.svg'],
      ['image/png', 'cover.png'],
      ['image/jpeg', 'x.jpg'],
    ];
    for (const [type, name] of claims) {
      const r = await upload(MEDIA_BYTES.svgScript, type!, name!);
      expect(r.status, `${type} ${name}`).toBe(415);
      expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses HTML and unknown bytes declared as images or video', async () => {
    expect((await upload(MEDIA_BYTES.html, 'image/jpeg', 'a.jpg')).status).toBe(415);
    expect((await upload(Buffer.from('MZ\x90\x00'), 'video/mp4', 'a.mp4')).status).toBe(415);
    expect((await upload(Buffer.alloc(0), 'image/png', 'empty.png')).status).toBe(415);
  });

  it('keeps JPEG, PNG, WebP, GIF and MP4 under the extension of their real type', async () => {
    const cases = [
      [MEDIA_BYTES.jpeg, 'jpg', 'image/jpeg', 'image'],
      [MEDIA_BYTES.png, 'png', 'image/png', 'image'],
      [MEDIA_BYTES.webp, 'webp', 'image/webp', 'image'],
      [MEDIA_BYTES.gif, 'gif', 'image/gif', 'image'],
      [MEDIA_BYTES.mp4, 'mp4', 'video/mp4', 'video'],
    ] as const;
    for (const [bytes, ext, type, kind] of cases) {
      // The client lies about both the type and the name: neither decides anything.
      const r = await upload(bytes, 'image/svg+xml', 'evil.svg');
      expect(r.status, ext).toBe(201);
      expect(r.body.type).toBe(kind);
      const key = new RegExp(`^m${shop.merchantId}/${kind}s/\\d{4}-\\d\\d-\\d\\d/[0-9a-f-]{36}\\.${ext}$`);
      expect(r.body.key).toMatch(key);
      const got = await fetch(node.url + r.body.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe(type);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(got.headers.get('content-disposition')).toMatch(/^inline; filename="[0-9a-f-]{36}\.\w+"$/);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('refuses an image larger than the image limit', async () => {
    const big = Buffer.concat([MEDIA_BYTES.png, Buffer.alloc(10 * 1024 * 1024)]);
    const r = await upload(big, 'image/png', 'big.png');
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves files stored before the check (client extensions) as sandboxed downloads, never as pages', async () => {
    const root = path.join(node.config.dataDir, 'uploads', 'm1', 'images', 'legacy');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'evil.svg'), MEDIA_BYTES.svgScript);
    fs.writeFileSync(path.join(root, 'evil.html'), MEDIA_BYTES.html);
    fs.writeFileSync(path.join(root, 'evil.htm'), MEDIA_BYTES.html);
    fs.writeFileSync(path.join(root, 'evil.xml'), MEDIA_BYTES.svgScript);
    const served = [
      ['evil.svg', 'image/svg+xml'],
      ['evil.html', 'application/octet-stream'],
      ['evil.htm', 'application/octet-stream'],
      ['evil.xml', 'application/octet-stream'],
    ];
    for (const [name, type] of served) {
      const got = await fetch(`${node.url}/files/m1/images/legacy/${name}`);
      expect(got.status, name).toBe(200);
      expect(got.headers.get('content-type'), name).toBe(type);
      expect(got.headers.get('content-disposition'), name).toBe(`attachment; filename="${name}"`);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
  });
});
