// Charts load ECharts on first use, so no page's first load carries it (scripts/size-report.mjs).
import type { EChartsCoreOption } from 'echarts/core';
import { lazy, Suspense } from 'react';

const EChart = lazy(() => import('./EChart.tsx'));

export function Chart(props: { option: EChartsCoreOption; height?: number; testId?: string }) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 260 }} />}>
      <EChart {...props} />
    </Suspense>
  );
}
