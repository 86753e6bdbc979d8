// A module owns its tables; others use its service. This fails, naming file:line, on any production
// query of another module's (or the platform's) table, except the reconciliation checks' reads
// (AUDITOR in module-boundaries.ts says why).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDITOR, describeAccess, foreignAccesses, tablesReferenced, violations } from './module-boundaries.ts';

const srcRoot = path.resolve(import.meta.dirname, '../src');

describe('module boundaries', () => {
  it('no module queries a table another module owns (reconciliation checks may read)', () => {
    const found = violations(foreignAccesses(srcRoot)).map(describeAccess);
    expect(found, `Use the owning module's service instead:\n${found.join('\n')}`).toEqual([]);
  });

  it('the auditor rule covers only reads inside the reconciliation checks', () => {
    const allowed = foreignAccesses(srcRoot).filter((f) => f.allowedBy);
    expect(allowed.length).toBeGreaterThan(0);
    for (const f of allowed) {
      expect(f.write).toBe(false);
      expect(f.file.startsWith(AUDITOR.folder)).toBe(true);
    }
  });
});

describe('the scanner', () => {
  const tables = (source: string) =>
    tablesReferenced(source)
      .map((r) => `${r.line}:${r.table}${r.write ? '!' : ''}`)
      .sort();

  it('sees Kysely reads, joins and writes with their lines', () => {
    expect(
      tables(
        [
          "db.selectFrom('orders as o').innerJoin('users as u', 'u.id', 'o.user_id')",
          "  .leftJoin('payments', 'payments.id', 'o.payment_id');",
          "db.updateTable('live_sessions').set({ replay_ready: true });",
        ].join('\n'),
      ),
    ).toEqual(['1:orders', '1:users', '2:payments', '3:live_sessions!']);
  });

  it('sees raw SQL tables, aliased or not, in comma lists and after a join', () => {
    expect(tables('sql`select 1 from c join users u on u.id = c.user_id`')).toEqual(['1:c', '1:users']);
    expect(tables('sql`select * from orders o, payments p\nwhere p.id = o.payment_id`')).toEqual([
      '1:orders',
      '1:payments',
    ]);
    expect(tables('sql.raw(`delete from coupons where id = 1`)')).toEqual(['1:coupons!']);
  });

  describe('on a small tree', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-boundaries-'));
    const put = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    put('platform/db/migrations/0000_platform.sql', 'create table jobs (id bigint);');
    put('modules/shop/migrations/0100_shop.sql', 'create table shop_things (id bigint);');
    put('modules/shop/shop-service.ts', "db.selectFrom('shop_things');\n");
    put('modules/other/other-service.ts', "db.selectFrom('shop_things');\n");
    put('modules/other/other.test.ts', "db.selectFrom('shop_things');\n");
    put('modules/reconciliation/checks/books.ts', "db.selectFrom('shop_things');\ndb.updateTable('shop_things');\n");
    put('modules/reconciliation/service.ts', "db.selectFrom('jobs');\n");
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('flags foreign production queries, excuses only the checks reading, and never their writes', () => {
      const found = foreignAccesses(root);
      expect(found.map((f) => `${describeAccess(f).split('  ')[0]} ${f.allowedBy ? 'allowed' : 'flagged'}`)).toEqual([
        'modules/other/other-service.ts:1 flagged',
        'modules/reconciliation/checks/books.ts:1 allowed',
        'modules/reconciliation/checks/books.ts:2 flagged',
        'modules/reconciliation/service.ts:1 flagged',
      ]);
    });
  });
});
