// A run's report as plain text for a terminal: what was checked, every discrepancy with its rows,
// and one last line that says clean or not.
import type { ReconciliationService } from './reconciliation-service.ts';

export type Report = Awaited<ReturnType<ReconciliationService['report']>>;

const when = (d: Date | string) =>
  new Date(d)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

export function reportText(report: Report): string {
  const { run, checks, discrepancies } = report;
  const out: string[] = [];
  const scope = run.scope === 'platform' ? 'the whole platform (every shop)' : `shop ${run.merchantId}`;
  out.push('', `Reconciliation run #${run.id}: ${scope}, ${when(run.from)} → ${when(run.to)}`, '');
  const width = Math.max(...checks.map((c) => c.name.length), 10);
  for (const c of checks) {
    const mark = c.status === 'clean' ? 'ok  ' : c.status === 'error' ? 'ERR ' : 'FAIL';
    const found = `${c.count} discrepanc${c.count === 1 ? 'y' : 'ies'}`;
    const what = c.status === 'clean' ? 'clean' : c.status === 'error' ? `could not finish: ${c.error ?? ''}` : found;
    out.push(`  ${mark} ${c.name.padEnd(width)}  ${what}  (${c.ms} ms)`);
    out.push(`       ${' '.repeat(width)}  ${c.description}`);
  }
  if (discrepancies.length) {
    out.push('', 'Discrepancies:');
    for (const check of [...new Set(discrepancies.map((d) => d.check))]) {
      const mine = discrepancies.filter((d) => d.check === check);
      const total = checks.find((c) => c.name === check)?.count ?? mine.length;
      out.push('', `  ${check}${total > mine.length ? ` (showing ${mine.length} of ${total})` : ''}`);
      for (const d of mine) {
        const shop = d.merchantId !== null ? ` [shop ${d.merchantId}]` : '';
        out.push(`    - ${d.subject}${shop}: ${d.message}`, `      expected ${d.expected}, found ${d.actual}`);
        for (const row of d.rows) out.push(`      · ${JSON.stringify(row)}`);
      }
    }
  }
  out.push('', run.summary, '');
  return out.join('\n');
}
