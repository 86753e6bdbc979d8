// Baseline server for benchmarks: plain Fastify, JSON schema validation, canned answers.
import fs from 'node:fs';
import Fastify from 'fastify';

const app = Fastify();
// BARE_PRODUCT_FILE: answer this JSON instead (a real product page's body, so both sides send the same bytes).
const canned = {
  id: 1,
  merchantId: 1,
  merchantName: '鲜果时光',
  title: '海南贵妃芒 当季现摘',
  subtitle: '香甜多汁',
  description: 'x'.repeat(200),
  coverUrl: '/files/a.svg',
  media: [{ type: 'image', url: '/files/a.svg' }],
  specs: [{ name: '规格', values: ['2.5kg', '5kg'] }],
  status: 'on_shelf',
  sales: 10,
  skus: [
    { id: 1, name: '2.5kg', priceFen: 3990, originalPriceFen: 5990, stock: 100 },
    { id: 2, name: '5kg', priceFen: 6990, originalPriceFen: 9900, stock: 100 },
  ],
};
const fixture = process.env.BARE_PRODUCT_FILE;
const product: unknown = fixture ? JSON.parse(fs.readFileSync(fixture, 'utf8')) : canned;
app.get('/health', async () => ({ ok: true }));
app.get('/bare/products/:id', async () => product);
app.post(
  '/bare/orders',
  {
    schema: {
      body: {
        type: 'object',
        required: ['idempotencyKey', 'items', 'addressId'],
        properties: { idempotencyKey: { type: 'string' }, items: { type: 'array' }, addressId: { type: 'integer' } },
      },
    },
  },
  async (_req, reply) =>
    reply.status(201).send({ checkoutNo: 'C1', orders: [{ orderId: 1, status: 'pending_payment', totalFen: 3990 }] }),
);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
