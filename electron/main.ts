/**
 * The Electron main process: one hardened window showing the workstation UI from the app's own
 * `app://` protocol, the backend (electron/backend, plain Node) in this process, served to the
 * renderer over IPC only. Nothing remote is loaded; navigation, new windows and every permission but
 * the document camera ('media') are refused.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import Store from 'electron-store';
import { Events, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type EventName, type InvokeResult } from '../shared/contract.js';
import { isMethodName } from './backend/handlers.js';
import { createWorkstation, type Workstation } from './backend/index.js';
import type { SecretBox } from './backend/certificates/seal-settings-secret.js';
import type { Printer } from './backend/certificates/printing.js';
import { createLogger } from './backend/log.js';
import { Settings, type SettingsStore } from './backend/settings/settings-store.js';
import { contentSecurityPolicy, MIME_TYPES as MIME } from '../shared/web-security.js';

const log = createLogger('main');
const SCHEME = 'app';
const APP_HOST = 'workstation';
const START_URL = `${SCHEME}://${APP_HOST}/workstation.html`;
/** dist/electron/main.cjs → dist/web (also inside app.asar). */
const WEB_DIR = path.resolve(__dirname, '..', 'web');
const CSP = contentSecurityPolicy("'self'");

// A separate data folder (tests, a second profile): ONEWINDOW_DATA_DIR.
if (process.env.ONEWINDOW_DATA_DIR) app.setPath('userData', path.resolve(process.env.ONEWINDOW_DATA_DIR));

// Must happen before `ready`: app:// behaves like a secure, standard origin (fetch, relative URLs).
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | null = null;
let workstation: Workstation | null = null;
let shuttingDown = false;

/** electron-store behind the backend's SettingsStore interface; a bad stored value falls back to defaults. */
function electronSettingsStore(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings' });
  const read = (): Settings => {
    const parsed = Settings.safeParse(store.store);
    if (parsed.success) return parsed.data;
    log.warn('stored settings invalid; using defaults');
    return Settings.parse({});
  };
  return {
    get: read,
    set(patch) {
      const next = Settings.parse({ ...read(), ...patch });
      store.set(next);
      return next;
    },
  };
}

function serveApp(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    const rel = decodeURIComponent(url.pathname === '/' ? '/workstation.html' : url.pathname);
    const file = path.resolve(WEB_DIR, `.${rel}`);
    if (!file.startsWith(WEB_DIR + path.sep)) return new Response('not found', { status: 404 });
    try {
      const data = await fs.readFile(file);
      return new Response(data, {
        headers: {
          'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

function harden(): void {
  const ses = session.defaultSession;
  // The document camera (高拍仪) is the only device the UI may ask for, and only from our own pages.
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(permission === 'media' && details.requestingUrl.startsWith(`${SCHEME}://${APP_HOST}/`));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permission === 'media' && requestingOrigin.startsWith(`${SCHEME}://${APP_HOST}`));
  // No remote content: the renderer reaches the hall only through the backend.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    log.warn(`blocked a renderer request to ${details.url}`);
    callback({ cancel: true });
  });
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
}

function serveIpc(): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<InvokeResult<unknown>> => {
    const from = event.senderFrame?.url ?? '';
    if (!from.startsWith(`${SCHEME}://${APP_HOST}/`)) {
      log.warn(`refused IPC from ${from || 'an unknown frame'}`);
      return { ok: false, error: { code: 'forbidden', message: '不允许的调用来源。' } };
    }
    if (!isMethodName(method)) return { ok: false, error: { code: 'bad_request', message: '请求参数有误：未知的方法。' } };
    if (!workstation) return { ok: false, error: { code: 'internal', message: '工作台正在启动，请稍候再试。' } };
    const handler = workstation.handlers[method] as (i: unknown) => Promise<InvokeResult<unknown>>;
    return handler(input);
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'OneWindow 一窗受理工作台',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
      // Chromium's built-in PDF viewer (the certificate preview frame); no other plugin exists.
      plugins: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(START_URL);
  return win;
}

/**
 * Printing documents in the app (CaseDocuments' printer): the system's printers from
 * `webContents.getPrintersAsync()`, and a hidden window that opens the PDF in Chromium's viewer and
 * prints it silently to the chosen device with the copies asked. Not run by the tests (no Electron
 * or printer here); the browser preview and the tests print through CUPS (certificates/printing.ts).
 */
function electronPrinter(): Printer {
  const contents = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null);
  return {
    async list() {
      const wc = contents();
      if (!wc) return [];
      // Electron no longer flags the default printer; CUPS hosts report it in the options.
      return (await wc.getPrintersAsync()).map((p) => ({ name: p.name, isDefault: (p.options as Record<string, string> | undefined)?.['is-default'] === 'true' }));
    },
    async print(pdf, opts) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onewindow-print-'));
      const file = path.join(dir, 'document.pdf');
      await fs.writeFile(file, pdf);
      const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true } });
      try {
        await win.loadFile(file);
        // The viewer lays the pages out after the load event.
        await new Promise((r) => setTimeout(r, 800));
        await new Promise<void>((resolve, reject) => {
          win.webContents.print({ silent: true, deviceName: opts.printer, copies: opts.copies, printBackground: true }, (ok, reason) =>
            ok ? resolve() : reject(new Error(`print to ${opts.printer} failed: ${reason}`)),
          );
        });
      } finally {
        win.destroy();
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The offices' certificate passwords encrypted by the operating system's key
 * store (safeStorage: DPAPI, Keychain, libsecret). Without one (a Linux desktop with no secret
 * service), undefined: the backend falls back to its 0600 key file. Not run by the tests (no Electron here).
 */
function electronSealSecrets(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    kind: 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

async function start(): Promise<void> {
  serveApp();
  harden();
  serveIpc();
  const dataDir = app.getPath('userData');
  const hallUrl = app.commandLine.getSwitchValue('hall') || process.env.ONEWINDOW_HALL_URL || undefined;
  workstation = await createWorkstation({
    dataDir,
    settings: electronSettingsStore(),
    hallUrl,
    embeddedHall: true,
    embeddedHallOptions: { webDir: WEB_DIR, configFile: path.join(app.getAppPath(), 'resources', 'offices', 'qihe.json') },
    // The catalog and calendars shipped with the app: used until the hall's copy arrives by pull.
    catalogDirs: { catalogDir: path.join(app.getAppPath(), 'resources', 'catalog'), calendarDir: path.join(app.getAppPath(), 'resources', 'calendar') },
    printer: electronPrinter(),
    sealSecrets: electronSealSecrets(),
  });
  for (const event of Object.keys(Events) as EventName[]) {
    workstation.events.on(event, (payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
    });
  }
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (!mainWindow && workstation) mainWindow = createWindow();
  });
  app.on('before-quit', (e) => {
    if (shuttingDown || !workstation) return;
    e.preventDefault();
    shuttingDown = true;
    const ws = workstation;
    workstation = null;
    ws.close()
      .catch((err: unknown) => log.error('close failed', err))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log.error('start failed', err);
      dialog.showErrorBox('OneWindow 无法启动', `工作台启动失败：${err instanceof Error ? err.message : String(err)}\n请联系管理员。`);
      app.exit(1);
    });
}
