import type { ECharts } from 'echarts/core';

declare global {
  interface Window {
    /** Set by end-to-end tests before the page loads; only then are chart instances exposed. */
    __honeyscopeTest?: boolean;
    __charts?: Record<string, ECharts>;
  }
}

/** The charts on the current page, by name; apart from charts.ts so that pages without charts need not load the charting library. */
export const live = new Map<string, ECharts>();

/** Disposes every chart (on page change). */
export function disposeCharts(): void {
  for (const chart of live.values()) chart.dispose();
  live.clear();
  if (window.__honeyscopeTest) window.__charts = {};
}
