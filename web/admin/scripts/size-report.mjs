// The console's first page is the dashboard. ECharts and the live console load on demand.
// Budget: 340 KB (measured at 312 KB when it was set, 440 KB before ECharts became lazy).
import { checkFirstLoad } from '../../../scripts/first-load-budget.mjs';

checkFirstLoad({
  dist: new URL('../dist/', import.meta.url).pathname,
  title: 'Console first page (dashboard)',
  page: 'pages/Dashboard.tsx',
  budgetKb: 340,
  lazy: ['components/EChart.tsx', 'pages/LiveConsole.tsx'],
  note: 'ECharts and the live console load on demand',
});
