/**
 * Browser preview of the workstation: the real backend in a Node process, the UI in any browser on
 * this machine. `npx tsx electron/backend/bridge/main.ts --data DIR [--hall URL] [--port N] [--host H]`
 * prints `PREVIEW_LISTENING <url>` once ready. With no hall URL (argument or settings) it starts an
 * embedded hall server on loopback and enrols with it. SIGTERM / SIGINT close it cleanly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createWorkstation } from '../index.js';
import { createLogger } from '../log.js';
import { jsonSettingsStore } from '../settings/json-settings-store.js';
import { startBridge } from './server.js';

const log = createLogger('preview');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      hall: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      web: { type: 'string' },
    },
    strict: true,
  });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const dataDir = path.resolve(values.data ?? path.join(root, '.data', 'workstation'));
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const settings = jsonSettingsStore(path.join(dataDir, 'settings.json'));
  const workstation = await createWorkstation({ dataDir, settings, hallUrl: values.hall, embeddedHall: true });
  const bridge = await startBridge({ workstation, webDir: values.web ?? path.join(root, 'dist', 'web'), port, host: values.host });
  // Signal handlers first: whoever waits for the PREVIEW_LISTENING line may stop us right after it.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: closing`);
    await bridge.close();
    await workstation.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  process.stdout.write(`PREVIEW_LISTENING ${bridge.url}\n`);
  if (workstation.embeddedHallUrl) log.info(`embedded hall server at ${workstation.embeddedHallUrl}`);
  const device = await workstation.handlers['device.status']({});
  const pages = device.ok ? device.value.publicPages : null;
  process.stdout.write(
    [
      '',
      `  OneWindow 一窗受理工作台 — open the workstation in a browser: ${bridge.url}`,
      ...(pages
        ? [`  取号机 kiosk:        ${pages.kiosk}`, `  叫号屏 call display: ${pages.display}`, `  评价器 evaluator:    ${pages.evaluator}`]
        : []),
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`preview failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
