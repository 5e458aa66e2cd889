import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from './hall-process.js';

/** Runs the real `onewindow` CLI (bin/onewindow.mjs) and returns what it printed on stdout. */
export async function runCli(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/onewindow.mjs', ...args], { cwd: REPO_ROOT, timeout: 30_000 });
    return stdout;
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`onewindow ${args.join(' ')} failed (${e.code}): ${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** `onewindow hall enroll`: a one-time enrolment code for a new workstation. */
export async function cliEnrolmentCode(dataDir: string, office: string, configFile?: string): Promise<string> {
  const stdout = await runCli(['hall', 'enroll', '--data', dataDir, '--office', office, ...(configFile ? ['--config', configFile] : [])]);
  const code = stdout.trim();
  if (!/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) throw new Error(`hall enroll printed "${stdout}"`);
  return code;
}

/** `onewindow hall appointment add`: an appointment's check-in code. */
export async function cliAppointmentCode(dataDir: string, office: string, board: string, slotIso: string): Promise<string> {
  const stdout = await runCli(['hall', 'appointment', 'add', '--data', dataDir, '--office', office, '--board', board, '--slot', slotIso]);
  const code = stdout.trim();
  if (!/^[A-Z0-9]{6,12}$/.test(code)) throw new Error(`hall appointment add printed "${stdout}"`);
  return code;
}
