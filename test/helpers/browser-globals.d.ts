// What the dashboard exposes to tests in the page (web/ui/src/charts.ts declares the same for the UI build).
import type { ECharts } from 'echarts';

declare global {
  interface Window {
    __charts?: Record<string, ECharts>;
    __honeyscopeTest?: boolean;
  }
}
