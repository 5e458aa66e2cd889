import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceStatus, InvokeResult, MethodInput, MethodName, MethodOutput, OneWindowApi, PanelState } from '../../shared/contract.js';
import { PanelState as PanelStateSchema } from '../../shared/contract.js';
import { useInterval } from '../common/hooks.js';
import { EnrolScreen } from './EnrolScreen.js';
import { QueuePanel } from './QueuePanel.js';
import { SignInScreen } from './SignInScreen.js';
import { SupervisorView } from './supervisor/SupervisorView.js';
import { watchesHall } from '../../shared/office/config.js';
import { Toast, useToast } from './toast.js';

export type Run = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<InvokeResult<MethodOutput<M>>>;

/**
 * The workstation: enrolment → sign-in → queue panel (a clerk) or dashboard (a supervisor). Every state shown comes from the backend
 * (DeviceStatus, PanelState); the panel re-renders on each `queue.state` event.
 */
export function App({ api }: { api: OneWindowApi }) {
  const [device, setDevice] = useState<DeviceStatus | null>(null);
  const [state, setState] = useState<PanelState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { toast, show, dismiss } = useToast();
  const signedIn = useRef(false);

  const run: Run = useCallback(
    async (method, input) => {
      const r = await api.invoke(method, input);
      if (!r.ok) {
        show(r.error.message);
      } else if (method !== 'device.status' && method !== 'device.enroll' && method !== 'session.signOut') {
        const p = PanelStateSchema.safeParse(r.value);
        if (p.success) setState(p.data);
      }
      return r;
    },
    [api, show],
  );

  const refresh = useCallback(async () => {
    const d = await api.invoke('device.status', {});
    if (!d.ok) {
      setLoadError(d.error.message);
      return;
    }
    setLoadError(null);
    setDevice(d.value);
    if (d.value.enrolled) {
      const s = await api.invoke('queue.state', {});
      if (s.ok) setState(s.value);
      else setLoadError(s.error.message);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    return api.on('queue.state', (payload) => setState(payload));
  }, [api, refresh]);

  // Safety net besides the pushed events: re-read the state now and then.
  useInterval(() => {
    if (device?.enrolled) void api.invoke('queue.state', {}).then((r) => r.ok && setState(r.value));
  }, 10_000);

  // The hall no longer knows this workstation (wiped): go to the enrol form at once (the device status
  // says not enrolled); everything not yet uploaded is kept and carried over to the new enrolment.
  const unknownToHall = state?.sync.unknownToHall ?? false;
  useEffect(() => {
    if (unknownToHall) void refresh();
  }, [unknownToHall, refresh]);

  signedIn.current = Boolean(state?.session);

  // An error belongs to the screen it happened on: entering another screen (enrolled, signed in,
  // signed out) clears it, so a wrong PIN is not still shown over the queue panel.
  const screenKind = device === null ? 'loading' : !device.enrolled ? 'enrol' : state?.session ? 'panel' : 'signin';
  useEffect(() => dismiss(), [screenKind, dismiss]);

  let screen;
  if (device === null) {
    screen = (
      <div className="center-screen">
        <div className="card narrow">
          {loadError ? (
            <>
              <h2>无法读取工作台状态</h2>
              <p className="form-error">{loadError}</p>
              <button type="button" className="btn btn-primary" onClick={() => void refresh()}>
                重试
              </button>
            </>
          ) : (
            <p className="muted">正在连接工作台…</p>
          )}
        </div>
      </div>
    );
  } else if (!device.enrolled) {
    screen = <EnrolScreen run={run} device={device} onEnrolled={() => void refresh()} />;
  } else if (!state || !state.session) {
    screen = <SignInScreen run={run} device={device} state={state} />;
  } else if (!state.session.window || watchesHall(state.session.staff.roles)) {
    // A supervisor (大厅负责人) or administrator gets the dashboard, signed in at a window or without
    // one (值班登录, which only they may do); a clerk never gets it (the backend refuses dashboard.*
    // for a clerk as well).
    screen = (
      <SupervisorView
        invoke={api.invoke}
        device={device}
        state={state}
        onSignOut={() =>
          void run('session.signOut', {}).then((r) => {
            if (r.ok) void refresh();
          })
        }
        onHallEvent={(cb) => api.on('queue.state', () => cb())}
      />
    );
  } else {
    screen = (
      <QueuePanel
        run={run}
        device={device}
        state={state}
        onSignedOut={() => void refresh()}
        notify={(text, kind) => show(text, kind ?? 'info')}
        onRefresh={() => void api.invoke('queue.state', {}).then((r) => r.ok && setState(r.value))}
      />
    );
  }
  return (
    <>
      {screen}
      <Toast toast={toast} onDismiss={dismiss} />
    </>
  );
}
