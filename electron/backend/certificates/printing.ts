import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { createLogger } from '../log.js';

const log = createLogger('printing');

/**
 * Printing a document: behind this interface so the workstation prints through whatever the host
 * has. The browser preview and the tests use CUPS (`lpstat`, `lp`); the Electron app passes its own
 * (electron/main.ts: the printers of `webContents.getPrintersAsync()`, a hidden window printing
 * silently to the chosen device).
 */
export interface PrinterInfo {
  name: string;
  isDefault: boolean;
}

export interface Printer {
  list(): Promise<PrinterInfo[]>;
  /** Sends the PDF to `printer`; resolves when the print system has taken the job. */
  print(pdf: Uint8Array, opts: { printer: string; copies: number; title: string }): Promise<void>;
}

export const NO_PRINTER = '本机没有可用的打印机，请联系管理员安装打印机，或先保存文书后在其他电脑打印。';

function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** CUPS: `lpstat -e` names the destinations, `lpstat -d` the default; `lp -d NAME -n COPIES FILE` prints. */
export function cupsPrinter(): Printer {
  return {
    async list() {
      let names: string[];
      try {
        names = (await run('lpstat', ['-e'])).stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      } catch (err) {
        if (!missing(err)) log.warn('lpstat -e failed', err);
        return [];
      }
      let def: string | null = null;
      try {
        def = /destination:\s*(\S+)/.exec((await run('lpstat', ['-d'])).stdout)?.[1] ?? null;
      } catch {
        def = null;
      }
      return names.map((name) => ({ name, isDefault: name === def }));
    },
    async print(pdf, opts) {
      const printers = await this.list();
      if (printers.length === 0) throw new AppError('conflict', NO_PRINTER, 'no CUPS destination (lpstat -e empty or missing)');
      if (!printers.some((p) => p.name === opts.printer)) throw new AppError('bad_request', `没有名为“${opts.printer}”的打印机，请重新选择。`, `printer ${opts.printer}`);
      const dir = await mkdtemp(path.join(tmpdir(), 'onewindow-print-'));
      const file = path.join(dir, 'document.pdf');
      try {
        await writeFile(file, pdf);
        const { stdout } = await run('lp', ['-d', opts.printer, '-n', String(opts.copies), '-t', opts.title, '-o', 'fit-to-page', file]);
        log.info(`printed to ${opts.printer} x${opts.copies}: ${stdout.trim()}`);
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (missing(err)) throw new AppError('conflict', NO_PRINTER, 'lp not found');
        const e = err as { stderr?: string };
        throw new AppError('conflict', `打印机“${opts.printer}”未能接收打印任务，请检查打印机后重试。`, `lp failed: ${e.stderr ?? String(err)}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
