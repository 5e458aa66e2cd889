import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HallPush } from '../../shared/hall/api.js';
import { startTestHall, type TestHall } from '../testing.js';
import { caseWindow, newCaseId, openAction } from './test-support.js';

let t: TestHall;
beforeEach(async () => {
  t = await startTestHall();
});
afterEach(async () => {
  await t.stop();
});

function listen(url: string): { got: HallPush[]; open: Promise<unknown>; close: () => void } {
  const s = new WebSocket(url);
  const got: HallPush[] = [];
  s.on('message', (d) => got.push(HallPush.parse(JSON.parse(String(d)))));
  return { got, open: new Promise((r) => s.once('open', r)), close: () => s.close() };
}

it("a case change reaches the windows that may see the office (county and its branch's), never the public display", async () => {
  const branch = await caseWindow(t, 'qihe-edz', 'qihe-edz/1', '2001');
  const county = await t.enroll('qihe-county');
  const base = t.hall.url.replace('http', 'ws');
  const display = listen(`${base}/ws?channel=office&office=qihe-edz`);
  const countyWindow = listen(`${base}/ws?channel=window&token=${county.deviceToken}`);
  const branchWindow = listen(`${base}/ws?channel=window&token=${branch.deviceToken}`);
  await Promise.all([display.open, countyWindow.open, branchWindow.open]);

  const opening = branch.body(newCaseId(), openAction());
  const first = await branch.pushRaw([opening]);
  expect(first.body.acks[0].status).toBe('applied');
  await new Promise((r) => setTimeout(r, 100));
  expect(countyWindow.got.filter((m) => m.type === 'cases.changed')).toEqual([{ type: 'cases.changed', office: 'qihe-edz' }]);
  expect(branchWindow.got.filter((m) => m.type === 'cases.changed')).toHaveLength(1);
  expect(display.got.some((m) => m.type === 'cases.changed')).toBe(false);

  // A retried push (duplicate) changes nothing and tells no one again.
  const before = countyWindow.got.length;
  const again = await branch.pushRaw([opening]);
  expect(again.status).toBe(200);
  expect(again.body.acks[0].status).toBe('duplicate');
  await new Promise((r) => setTimeout(r, 100));
  expect(countyWindow.got.length).toBe(before);
  for (const s of [display, countyWindow, branchWindow]) s.close();
});
