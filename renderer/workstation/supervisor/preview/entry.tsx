import '../../../common/csp.js';
import { createRoot } from 'react-dom/client';
import '../../../common/base.css';
import '../../workstation.css';
import type { DeviceStatus, InvokeResult, PanelState } from '../../../../shared/contract.js';
import { SupervisorView, type DashboardInvoke } from '../SupervisorView.js';

/**
 * Test page: the SupervisorView alone, against a small server that answers the dashboard's contract
 * methods from a real hall store (see ../supervisor-view.test.ts). Not part of the app's build.
 */
const invoke: DashboardInvoke = async (method, input) => {
  const res = await fetch('/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method, input }) });
  return (await res.json()) as InvokeResult<never>;
};

const { device, state } = (await (await fetch('/state')).json()) as { device: DeviceStatus; state: PanelState };
createRoot(document.getElementById('root')!).render(<SupervisorView invoke={invoke} device={device} state={state} onSignOut={() => undefined} />);
