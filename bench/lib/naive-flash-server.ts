// Baseline for bench/flash-sale.ts: the flash sale most people write first — every attempt is a
// PostgreSQL transaction that locks the stock row (SELECT … FOR UPDATE), checks the buyer's count,
// decrements and inserts an order. Correct, but every buyer queues on one row.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });
app.get('/health', async () => ({ ok: true }));
app.post<{ Body: { userId: number } }>('/naive/buy', async (req, reply) => {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ stock: number }>('select stock from naive_flash where id = 1 for update');
    const bought = await client.query<{ n: string }>(
      'select count(*) as n from naive_flash_orders where user_id = $1',
      [req.body.userId],
    );
    if (Number(bought.rows[0]!.n) >= 1) {
      await client.query('rollback');
      return reply.status(409).send({ error: { code: 'FLASH_LIMIT_REACHED' } });
    }
    if (rows[0]!.stock <= 0) {
      await client.query('rollback');
      return reply.status(409).send({ error: { code: 'FLASH_SOLD_OUT' } });
    }
    await client.query('update naive_flash set stock = stock - 1 where id = 1');
    const o = await client.query<{ id: number }>('insert into naive_flash_orders (user_id) values ($1) returning id', [
      req.body.userId,
    ]);
    await client.query('commit');
    return reply.status(201).send({ orderId: o.rows[0]!.id });
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
