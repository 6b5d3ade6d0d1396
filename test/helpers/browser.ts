import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  /** A new page with the dashboard's test hook set and every CSP violation, console error and dialog recorded. */
  newPage(): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  page: Page;
  cspViolations: string[];
  consoleErrors: string[];
  dialogs: string[];
}

/** Debian's Chromium through playwright-core, with a fresh profile that is removed on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'honeyscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const result: TestPage = { page, cspViolations: [], consoleErrors: [], dialogs: [] };
      await page.addInitScript(() => {
        (window as unknown as { __honeyscopeTest: boolean }).__honeyscopeTest = true;
        document.addEventListener('securitypolicyviolation', (e) => {
          const list = ((window as unknown as { __cspViolations?: string[] }).__cspViolations ??= []);
          list.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
        });
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error') result.consoleErrors.push(msg.text());
        if (/Content Security Policy/i.test(msg.text())) result.cspViolations.push(msg.text());
      });
      page.on('dialog', (dialog) => {
        result.dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      return result;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** CSP violations reported inside the page (securitypolicyviolation events). */
export async function pageCspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** Page coordinates of the centre of a tree-map child of the current view root, by name (ECharts' own layout). */
export async function treemapChildCenter(page: Page, name: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((wanted) => {
    interface Node {
      name: string;
      children: Node[];
      getLayout(): { x: number; y: number; width: number; height: number };
    }
    const chart = (window as unknown as { __charts: Record<string, { getDom(): HTMLElement; getModel(): { getSeriesByIndex(i: number): { getViewRoot(): Node; layoutInfo: { x: number; y: number } } } }> }).__charts.treemap;
    if (!chart) return null;
    const series = chart.getModel().getSeriesByIndex(0);
    const node = series.getViewRoot().children.find((c) => c.name === wanted);
    if (!node) return null;
    const box = chart.getDom().getBoundingClientRect();
    const l = node.getLayout();
    return { x: box.x + series.layoutInfo.x + l.x + l.width / 2, y: box.y + series.layoutInfo.y + l.y + Math.min(l.height / 2, 60) };
  }, name);
}

/** The tree map's current view root (what the breadcrumb ends with). */
export async function treemapViewRoot(page: Page): Promise<string> {
  return page.evaluate(() => {
    const chart = (window as unknown as { __charts: Record<string, { getModel(): { getSeriesByIndex(i: number): { getViewRoot(): { name: string } } } }> }).__charts.treemap;
    return chart?.getModel().getSeriesByIndex(0).getViewRoot().name ?? '';
  });
}

/** Page coordinates of a breadcrumb item (drawn on the canvas) by its text. */
export async function treemapBreadcrumbCenter(page: Page, text: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((wanted) => {
    interface El {
      getTextContent?(): { style: { text?: string } } | undefined;
      getBoundingRect(): { clone(): { applyTransform(m: unknown): void; x: number; y: number; width: number; height: number } };
      transform: unknown;
    }
    const chart = (window as unknown as { __charts: Record<string, { getDom(): HTMLElement; getZr(): { storage: { getDisplayList(update: boolean): El[] } } }> }).__charts.treemap;
    if (!chart) return null;
    const box = chart.getDom().getBoundingClientRect();
    // Breadcrumb items are polygons carrying their label as text content; the tree's own rectangles are not polygons with it at the bottom.
    const items = chart.getZr().storage.getDisplayList(true).filter((el) => el.getTextContent?.()?.style.text === wanted);
    const el = items.at(-1);
    if (!el) return null;
    const r = el.getBoundingRect().clone();
    r.applyTransform(el.transform);
    return { x: box.x + r.x + r.width / 2, y: box.y + r.y + r.height / 2 };
  }, text);
}

/** Waits until the named chart has no animation running (zoom transitions move what a click would hit). */
export async function waitChartIdle(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (chartName) => {
      const chart = (window as unknown as { __charts?: Record<string, { getZr(): { animation: { isFinished(): boolean } } }> }).__charts?.[chartName];
      return chart !== undefined && chart.getZr().animation.isFinished();
    },
    name,
    { timeout: 10_000 },
  );
}

/** Page coordinates of a chart toolbox icon by its title ("PNG", "SVG"), from ECharts' own elements. */
export async function toolboxIconCenter(page: Page, chartName: string, title: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ([name, wanted]) => {
      interface El {
        __title?: string;
        transform: unknown;
        getBoundingRect(): { clone(): { applyTransform(m: unknown): void; x: number; y: number; width: number; height: number } };
      }
      const chart = (window as unknown as { __charts: Record<string, { getDom(): HTMLElement; getZr(): { storage: { getDisplayList(update: boolean): El[] } } }> }).__charts[name ?? ''];
      const el = chart?.getZr().storage.getDisplayList(true).find((e) => e.__title === wanted);
      if (!chart || !el) return null;
      const box = chart.getDom().getBoundingClientRect();
      const r = el.getBoundingRect().clone();
      r.applyTransform(el.transform);
      return { x: box.x + r.x + r.width / 2, y: box.y + r.y + r.height / 2 };
    },
    [chartName, title] as const,
  );
}

/** What injected markup could have created in the page: scripts, media, inline handlers, and the payloads' `__pwned` flag. */
export async function dangerousNodes(page: Page): Promise<{ scripts: number; media: number; handlers: string[]; pwned: unknown }> {
  return page.evaluate(() => {
    const handlers: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) if (/^on/i.test(attr.name)) handlers.push(`${el.tagName} ${attr.name}`);
    }
    return {
      scripts: document.querySelectorAll('script').length,
      media: document.querySelectorAll('img, svg, iframe, object, embed, video, audio').length,
      handlers,
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    };
  });
}
