import { parseArgs } from 'node:util';
import { auditCommand, AuditUsageError, AUDIT_USAGE } from './audit.js';
import { catalogCheck } from './catalog.js';
import { deviceCommand, DeviceUsageError, DEVICE_USAGE } from './devices.js';
import { validateCommand } from './validate.js';
import { extractCommand, ExtractUsageError } from './extract.js';
import { verifyCommand, VERIFY_USAGE } from './verify.js';
import { createEnrolmentCode } from '../upstream/auth/access.js';
import { newAppointmentCode } from '../upstream/auth/tokens.js';
import { loadHallConfig } from '../upstream/config.js';
import { parseHallArgs, runHall } from '../upstream/main.js';
import { openHallStore } from '../upstream/store/hall-store.js';

/** The `onewindow` admin CLI. */
export const USAGE = `OneWindow admin CLI

usage:
  onewindow hall [--port 7300] [--host 127.0.0.1] [--data .data/hall] [--config FILE] [--catalog DIR] [--calendar DIR]
      start the hall server (ticket queue, sync endpoint, kiosk / display / evaluator pages)
  onewindow hall enroll --data DIR --office ID [--ttl-minutes 30] [--config FILE]
      print a one-time enrolment code for a new workstation of office ID
  onewindow hall appointment add --data DIR --office ID --board A --slot ISO-TIME [--config FILE]
      register an appointment and print its check-in code
${DEVICE_USAGE}${AUDIT_USAGE}  onewindow catalog check [DIR]
      validate the matter catalog (default resources/catalog); prints each error as
      "file: path: message" and exits 1, or a summary of matters, bundles and fields and exits 0
  onewindow validate id|uscc VALUE [--on YYYY-MM-DD]
      check an ID number (GB 11643) or a unified social credit code (GB 32100); prints JSON
      {"valid","reason","normalized",...}; exit 0 valid, 1 invalid
${VERIFY_USAGE}  onewindow extract FILE [--type T] [--role R] [--pdf OUT.pdf]
      read a scanned or photographed document (image or PDF); prints its type and fields as JSON
  onewindow --help
`;

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}

function enroll(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, office: { type: 'string' }, 'ttl-minutes': { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  const data = need(values.data, '--data');
  const office = need(values.office, '--office');
  const ttl = values['ttl-minutes'] === undefined ? 30 : Number(values['ttl-minutes']);
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 7 * 24 * 60) throw new UsageError(`--ttl-minutes must be a number of minutes (1..10080), got "${values['ttl-minutes']}"`);
  const config = loadHallConfig(values.config);
  if (!config.offices.some((o) => o.id === office)) {
    throw new UsageError(`unknown office "${office}"; offices: ${config.offices.map((o) => o.id).join(', ')}`);
  }
  const store = openHallStore(data);
  try {
    const code = createEnrolmentCode(store, office, ttl * 60_000, Date.now(), () => true);
    process.stdout.write(`${code}\n`);
  } finally {
    store.close();
  }
}

function appointmentAdd(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, office: { type: 'string' }, board: { type: 'string' }, slot: { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  const data = need(values.data, '--data');
  const officeId = need(values.office, '--office');
  const board = need(values.board, '--board');
  const slotText = need(values.slot, '--slot');
  const slotStart = Date.parse(slotText);
  if (!Number.isFinite(slotStart)) throw new UsageError(`--slot must be an ISO date-time such as 2025-03-01T09:30:00+08:00, got "${slotText}"`);
  const config = loadHallConfig(values.config);
  const office = config.offices.find((o) => o.id === officeId);
  if (!office) throw new UsageError(`unknown office "${officeId}"; offices: ${config.offices.map((o) => o.id).join(', ')}`);
  if (!office.boards.some((b) => b.code === board)) {
    throw new UsageError(`office ${officeId} has no board "${board}"; boards: ${office.boards.map((b) => b.code).join(', ')}`);
  }
  const store = openHallStore(data);
  try {
    const code = newAppointmentCode();
    store.addAppointment({ code, office: officeId, board, slotStart, createdAt: Date.now() });
    process.stdout.write(`${code}\n`);
  } finally {
    store.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, sub2] = argv;
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === 'hall') {
      if (sub === '--help' || sub === '-h') {
        process.stdout.write(USAGE);
        return 0;
      }
      if (sub === 'enroll') {
        enroll(argv.slice(2));
        return 0;
      }
      if (sub === 'device') {
        try {
          return deviceCommand(argv.slice(2), (s) => process.stdout.write(s));
        } catch (err) {
          if (err instanceof DeviceUsageError) throw new UsageError(err.message);
          throw err;
        }
      }
      if (sub === 'audit') {
        try {
          return auditCommand(argv.slice(2), (s) => process.stdout.write(s));
        } catch (err) {
          if (err instanceof AuditUsageError) throw new UsageError(err.message);
          throw err;
        }
      }
      if (sub === 'appointment') {
        if (sub2 !== 'add') throw new UsageError(`unknown command "hall appointment ${sub2 ?? ''}"`);
        appointmentAdd(argv.slice(3));
        return 0;
      }
      if (sub !== undefined && !sub.startsWith('-')) throw new UsageError(`unknown command "hall ${sub}"`);
      let args;
      try {
        args = parseHallArgs(argv.slice(1));
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      await runHall(args);
      return -1; // keeps running
    }
    if (cmd === 'catalog') {
      if (sub !== 'check') throw new UsageError(`unknown command "catalog ${sub ?? ''}"`);
      const { positionals } = parseArgs({ args: argv.slice(2), options: {}, allowPositionals: true, strict: true });
      if (positionals.length > 1) throw new UsageError('catalog check takes at most one directory');
      return catalogCheck(positionals[0], (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    }
    if (cmd === 'verify') return await verifyCommand(argv.slice(1), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    if (cmd === 'extract') {
      try {
        return await extractCommand(argv.slice(1), (s) => process.stdout.write(s));
      } catch (err) {
        if (err instanceof ExtractUsageError) throw new UsageError(err.message);
        throw err;
      }
    }
    if (cmd === 'validate') return validateCommand(argv.slice(1), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    throw new UsageError(`unknown command "${cmd}"`);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
