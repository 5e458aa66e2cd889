import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, onTestFailed } from 'vitest';
import { enrolAndSignIn, launchChromium, startHall, startPreview, tempDir, type Proc } from './harness.js';

export const OFFICE = 'qihe-county';

/** What `clerkAtWindow` started; set once its beforeAll ran. `hall` and `ws` may be replaced by a test that restarts them (they are stopped as they are at the end). */
export interface ClerkAtWindow {
  hallDir: string;
  hall: Proc;
  wsDir: string;
  ws: Proc;
  browser: Browser;
  clerk: Page;
  /** What the page logged, for the failure report. */
  consoleLines: string[];
}

/**
 * A describe block's clerk: a hall server process, a preview workstation, Chromium, and clerk 1001
 * enrolled and signed in at window 1 of qihe-county, through the real UI. Registers the hooks: the
 * start (beforeAll), a full-page screenshot and the page's last console lines when a test fails, and
 * the stop (afterAll). Call at the top of the describe block.
 *  - `name`: the temp folders' and the failure report's name;
 *  - `pathDir`: a folder put first on PATH while the workstation starts (e.g. a fake `lp`);
 *  - `launch`: another browser launch (e.g. with a fake camera), called after earlier beforeAll hooks;
 *  - `context`: browser context options (viewport 1366×768 and zh-CN unless given).
 */
export function clerkAtWindow(name: string, o: { pathDir?: () => string; launch?: () => Promise<Browser>; context?: BrowserContextOptions } = {}): ClerkAtWindow {
  const s = { consoleLines: [] as string[] } as ClerkAtWindow;

  beforeAll(async () => {
    s.hallDir = tempDir(`e2e-${name}-hall`);
    s.hall = await startHall(s.hallDir);
    s.wsDir = tempDir(`e2e-${name}-ws`);
    const savedPath = process.env.PATH;
    if (o.pathDir) process.env.PATH = `${o.pathDir()}:${savedPath}`;
    try {
      s.ws = await startPreview(s.wsDir, s.hall.url);
    } finally {
      process.env.PATH = savedPath;
    }
    s.browser = await (o.launch ?? launchChromium)();
    const context = await s.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', ...o.context });
    s.clerk = await context.newPage();
    s.clerk.on('console', (m) => s.consoleLines.push(`[${m.type()}] ${m.text()}`));
    await enrolAndSignIn(s.clerk, { preview: s.ws, hallUrl: s.hall.url, hallDir: s.hallDir, office: OFFICE, staffId: '1001', windowNo: 1, deviceName: '1号窗口工作站' });
  }, 90_000);

  beforeEach(() => {
    onTestFailed(async () => {
      const file = path.join(tempDir(`e2e-${name}-failure`), 'screen.png');
      await s.clerk?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`${name} e2e failure screenshot: ${file}\n${s.consoleLines.slice(-20).join('\n')}`);
    });
  });

  afterAll(async () => {
    await s.browser?.close();
    await Promise.all([s.ws?.stop(), s.hall?.stop()]);
  });

  return s;
}
