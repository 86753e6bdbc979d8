// Prometheus metrics (prom-client). One registry per app instance, so tests can run several.
import client from 'prom-client';

export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  readonly eventsDelivered: client.Counter<'type'>;
  readonly eventsFailed: client.Counter<'type'>;
  readonly jobsFinished: client.Counter<'type' | 'status'>;

  constructor() {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'livemall_' });
    this.httpDuration = new client.Histogram({
      name: 'livemall_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.eventsDelivered = new client.Counter({
      name: 'livemall_outbox_delivered_total',
      help: 'Domain events delivered to a handler',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.eventsFailed = new client.Counter({
      name: 'livemall_outbox_failed_total',
      help: 'Domain event handler failures',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.jobsFinished = new client.Counter({
      name: 'livemall_jobs_finished_total',
      help: 'Delayed jobs finished',
      labelNames: ['type', 'status'],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[] = []): client.Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as client.Counter<L>;
    return new client.Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: L[] = []): client.Gauge<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as client.Gauge<L>;
    return new client.Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
