/**
 * The preload script (sandboxed, context-isolated): exposes `window.onewindow` and nothing else.
 * Every call goes through one IPC channel; main checks the sender and validates the input.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, EventPayload, IPC_EVENT_CHANNEL as EventChannel, IPC_INVOKE_CHANNEL as InvokeChannel, OneWindowApi } from '../shared/contract.js';

// Type-only import keeps zod and the schemas out of the sandboxed preload; the literal types make
// tsc fail if these ever differ from the contract's channel names.
const IPC_INVOKE_CHANNEL: typeof InvokeChannel = 'onewindow:invoke';
const IPC_EVENT_CHANNEL: typeof EventChannel = 'onewindow:event';

const api: OneWindowApi = {
  invoke: (method, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input),
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    const handler = (_e: IpcRendererEvent, msg: { event?: unknown; payload?: unknown }) => {
      if (msg && msg.event === event) listener(msg.payload as EventPayload<E>);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('onewindow', api);
