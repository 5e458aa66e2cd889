import path from 'node:path';
import { HallHttp } from '../../../electron/backend/hall-client/http.js';
import { REPO_ROOT, startHallProcess, type HallProcess } from '../../support/hall-process.js';
import { cliEnrolmentCode } from '../../support/cli.js';
import type { Enrolment } from './bench-window.js';

/** The hall configuration the bench runs (the real one shipped with OneWindow). */
export const CONFIG_FILE = path.join(REPO_ROOT, 'resources/offices/qihe.json');

/**
 * A fresh hall: a new data folder, one enrolment code per window from the admin CLI, the hall
 * process started, each window enrolled over HTTP as the workstation's enrolment form does it.
 */
export async function freshHall(dataDir: string, offices: readonly string[], o: { nodeArgs?: readonly string[]; env?: Record<string, string> } = {}): Promise<{ hall: HallProcess; enrolments: Enrolment[] }> {
  const codes: string[] = [];
  for (const office of offices) codes.push(await cliEnrolmentCode(dataDir, office, CONFIG_FILE));
  const hall = await startHallProcess({ dataDir, configFile: CONFIG_FILE, nodeArgs: o.nodeArgs ?? [], env: o.env ?? {} });
  const http = new HallHttp(hall.url);
  const enrolments: Enrolment[] = [];
  for (const [i, code] of codes.entries()) {
    const r = await http.call('enroll', { code, deviceName: `bench-window-${i + 1}` });
    enrolments.push({ deviceToken: r.deviceToken, clientId: r.clientId, office: r.office });
  }
  return { hall, enrolments };
}
