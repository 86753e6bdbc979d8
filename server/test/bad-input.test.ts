// Bad input is the client's mistake, never a 500: NUL characters and half surrogate pairs
// anywhere, integers and numbers past what a column holds (Infinity and 1e400 included), malformed
// multipart, over-long path parameters, bad percent-encoding and broken HTTP all get a 4xx in the
// one error shape, and nothing is written. Error logs never carry the SQL parameters (the user's data).
import net from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { testConfig } from '../src/platform/config.ts';
import type { Module } from '../src/platform/context.ts';
import { createLogger } from '../src/platform/logger.ts';
import { APP_BACKENDS, createPostgresDatabase } from './backends.ts';
import { makeShop, type ShopFixture } from './commerce-fixtures.ts';
import { startNode, type TestNode } from './harness.ts';

const isErrorShape = (b: any) => typeof b?.error?.code === 'string' && typeof b.error.message === 'string';

describe.each(APP_BACKENDS)('bad input on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '坏输入小店', '13800006601');
  });
  afterAll(async () => {
    await node?.close();
  });

  const expect4xx = (r: { status: number; body: unknown }, label: string, status = 400) => {
    expect(r.status, `${label}: ${JSON.stringify(r.body)}`).toBe(status);
    expect(isErrorShape(r.body), label).toBe(true);
  };

  it('refuses NUL characters in the body, the query and the path, and writes nothing', async () => {
    const body = { phone: '13800006699', password: 'abc\u0000defg123' };
    const register = await node.api('POST', '/api/auth/register', { body });
    expect4xx(register, 'register');
    expect(register.body.error.details[0].path).toBe('body/password');
    const db = node.app.ctx.db;
    const user = await db.selectFrom('users').select('id').where('phone', '=', '13800006699').executeTakeFirst();
    expect(user).toBeUndefined();
    const product = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
      token: shop.owner.token,
      body: { title: '好\u0000货', specs: [], skus: [{ specValues: [], priceFen: 100, stock: 1, weightGrams: 1 }] },
    });
    expect4xx(product, 'product title');
    expect4xx(await node.api('GET', '/api/products?q=a%00b'), 'query');
    expect4xx(await node.api('GET', '/api/payments/P%0012345678901', { token: shop.owner.token }), 'path');
  });

  it('refuses half a surrogate pair (PostgreSQL cannot store it in JSON) and takes a whole one', async () => {
    const rule = { firstUnits: 1, firstFeeFen: 1, extraUnits: 1, extraFeeFen: 1 };
    const save = (name: string, region: string) =>
      node.api('POST', `/api/merchants/${shop.merchantId}/shipping-templates`, {
        token: shop.owner.token,
        body: { name, chargeBy: 'pieces', rules: [{ regions: [region], ...rule }] },
      });
    const lone = await save('半个字符', '\ud800');
    expect4xx(lone, 'lone high surrogate');
    expect(lone.body.error.details[0].path).toBe('body/rules/0/regions/0');
    expect4xx(await save('x\udfffy', '*'), 'lone low surrogate');
    expect((await save('表情😀', '*')).status).toBe(201);
    const written = await node.app.ctx.db
      .selectFrom('shipping_templates')
      .select('name')
      .where('merchant_id', '=', shop.merchantId)
      .execute();
    expect(written.map((t) => t.name)).toEqual(['表情😀']);
  });

  it('refuses integers and numbers no column can hold, with a 400 instead of a database error', async () => {
    const queries = [
      'page=1e300',
      'page=Infinity',
      'page=9007199254740993',
      'minPriceFen=1e400',
      'categoryId=1e30',
      'merchantId=-Infinity',
    ];
    for (const q of queries) {
      expect4xx(await node.api('GET', `/api/products?${q}`), q);
    }
    expect4xx(await node.api('GET', '/api/products/99999999999999999999999'), 'huge id in the path');
    const admin = await node.userToken('13800006600', { admin: true });
    const position = await node.api('POST', '/api/platform/categories', {
      token: admin.token,
      body: { name: '超大排序', position: 3_000_000_000 },
    });
    expect4xx(position, 'position beyond int4');
    const written = await node.app.ctx.db
      .selectFrom('categories')
      .select('id')
      .where('name', '=', '超大排序')
      .executeTakeFirst();
    expect(written).toBeUndefined();
    const inf = await fetch(`${node.url}/api/platform/categories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: '{"name":"无穷","position":1e400}',
    });
    expect(inf.status).toBe(400);
  });

  it('answers malformed multipart bodies with 400 MULTIPART_INVALID', async () => {
    const url = `${node.url}/api/merchants/${shop.merchantId}/media`;
    const auth = { authorization: `Bearer ${shop.owner.token}` };
    const cases: Array<[string, string, string]> = [
      ['no boundary', 'multipart/form-data', 'garbage'],
      [
        'cut off',
        'multipart/form-data; boundary=XX',
        '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
      ],
    ];
    for (const [label, type, body] of cases) {
      const res = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
      const json = (await res.json()) as any;
      expect(res.status, label).toBe(400);
      expect(json.error.code, label).toBe('MULTIPART_INVALID');
    }
  });

  it("answers the router's own refusals (long path parameter, bad percent-encoding) in the error shape", async () => {
    const long = await node.api('GET', `/api/payments/P${'1'.repeat(200)}`, { token: shop.owner.token });
    expect4xx(long, 'long parameter', 414);
    expect(long.body.error.code).toBe('URI_TOO_LONG');
    const bad = await node.api('GET', `/api/merchants/%E0%A4%A/orders`, { token: shop.owner.token });
    expect4xx(bad, 'bad percent-encoding');
    expect(bad.body.error.code).toBe('BAD_URL');
  });

  it("answers a request Node's HTTP parser refuses in the error shape, and keeps serving", async () => {
    const { port } = new URL(node.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const broken = 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n';
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(broken));
      let out = '';
      socket.on('data', (d) => {
        out += d;
      });
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    const answer = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(answer).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect((await node.api('GET', '/health')).status).toBe(200);
  });
});

describe.each(APP_BACKENDS)('error logs on $name', (backend) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  let app: Awaited<ReturnType<typeof createApp>>;
  let url = '';
  let drop: (() => Promise<void>) | undefined;
  // A route that sends the caller's text to the database as an integer parameter: it fails there.
  const probe: Module = {
    name: 'probe',
    routes(http) {
      const schema = { body: Type.Object({ value: Type.String({ maxLength: 100 }) }) };
      http.post('/api/probe', { config: { access: 'public' }, schema }, async (req) => {
        await sql`select ${req.body.value}::int as n`.execute(app.ctx.db);
        return { ok: true };
      });
    },
  };
  beforeAll(async () => {
    const pg = backend.db === 'postgres' ? await createPostgresDatabase() : undefined;
    drop = pg?.drop;
    const config = testConfig({ workers: false, databaseUrl: pg?.url, logLevel: 'info' });
    app = await createApp(config, { pgliteDir: 'memory://', modules: [probe], log: createLogger(config, sink) });
    url = await app.listen();
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('logs the database error without the parameters or the values it quotes', async () => {
    const secret = '13812345678-my-secret-address';
    const res = await fetch(`${url}/api/probe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: secret }),
    });
    expect(res.status).toBe(500);
    const logged = lines.join('');
    expect(logged).toContain('unhandled error');
    expect(logged).toMatch(/"code":"22\w{3}"/); // the SQLSTATE stays, so the log is still useful
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('13812345678');
  });
});
