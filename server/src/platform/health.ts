// Health is a registry: the platform registers db and cache, the media module registers media.
export type HealthStatus = 'up' | 'down' | 'degraded' | 'disabled';
export interface HealthReport {
  status: HealthStatus;
  [detail: string]: unknown;
}
export type HealthCheck = () => Promise<HealthReport>;

export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; critical: boolean }>();

  register(name: string, check: HealthCheck, opts: { critical?: boolean } = {}): void {
    this.checks.set(name, { check, critical: opts.critical ?? false });
  }

  async report(): Promise<{ ok: boolean; status: HealthStatus; checks: Record<string, HealthReport> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check, critical }]) => {
        const started = Date.now();
        try {
          const r = await withTimeout(check(), 2000);
          return [name, { ...r, latencyMs: Date.now() - started }, critical] as const;
        } catch (err) {
          return [
            name,
            { status: 'down' as const, error: err instanceof Error ? err.message : String(err) },
            critical,
          ] as const;
        }
      }),
    );
    const ok = entries.every(([, r, critical]) => !critical || r.status === 'up');
    const degraded = entries.some(([, r]) => r.status === 'down' || r.status === 'degraded');
    return {
      ok,
      status: !ok ? 'down' : degraded ? 'degraded' : 'up',
      checks: Object.fromEntries(entries.map(([n, r]) => [n, r])),
    };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
