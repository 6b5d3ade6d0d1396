// The SVG renderer's own module, so it can be loaded apart from the canvas one (echarts/renderers holds both).
declare module 'echarts/lib/renderer/installSVGRenderer.js' {
  import type { EChartsExtensionInstaller } from 'echarts/types/dist/shared';

  export const install: EChartsExtensionInstaller;
}
