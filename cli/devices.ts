import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors.js';
import { listDevices, revokeDevice } from '../upstream/auth/devices.js';
import { openHallStore } from '../upstream/store/hall-store.js';

export const DEVICE_USAGE = `  onewindow hall device list --data DIR [--office ID]
      the enrolled workstations: one JSON object per line (id, office, name, enrolment, revoked,
      how far it has synced, who is signed in on it)
  onewindow hall device revoke --data DIR --id DEVICE_ID --reason TEXT
      stop a workstation (stolen, retired): its token is refused from now on, its sessions end;
      prints the device as JSON. The hall may keep running.
`;

export class DeviceUsageError extends Error {}

function hallData(dir: string | undefined): string {
  if (dir === undefined || dir.trim() === '') throw new DeviceUsageError('--data is required');
  if (!existsSync(path.join(dir, 'hall.db'))) throw new DeviceUsageError(`no hall database in ${dir} (expected ${path.join(dir, 'hall.db')})`);
  return dir;
}

/** `onewindow hall device list|revoke …`; returns the exit code. */
export function deviceCommand(argv: string[], out: (s: string) => void): number {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { data: { type: 'string' }, office: { type: 'string' } }, strict: true });
    const store = openHallStore(hallData(values.data));
    try {
      for (const d of listDevices(store.db, values.office ?? null)) out(`${JSON.stringify(d)}\n`);
    } finally {
      store.close();
    }
    return 0;
  }
  if (sub === 'revoke') {
    const { values } = parseArgs({ args: rest, options: { data: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string' } }, strict: true });
    const data = hallData(values.data);
    if (!values.id) throw new DeviceUsageError('--id is required (see `onewindow hall device list`)');
    if (!values.reason?.trim()) throw new DeviceUsageError('--reason is required');
    const store = openHallStore(data);
    try {
      const r = revokeDevice(store.db, values.id, values.reason, Date.now());
      out(`${JSON.stringify({ ...r.device, sessionsEnded: r.sessionsEnded, alreadyRevoked: r.alreadyRevoked })}\n`);
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw new DeviceUsageError(`no device "${values.id}" (see \`onewindow hall device list\`)`);
      throw err;
    } finally {
      store.close();
    }
  }
  throw new DeviceUsageError(`unknown command "hall device ${sub ?? ''}"`);
}
