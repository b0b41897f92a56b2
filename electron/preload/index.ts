/**
 * Sandboxed preload: exposes the allow-listed bridge as `window.qmp` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildQmpBridge } from './bridge';

contextBridge.exposeInMainWorld('qmp', buildQmpBridge(ipcRenderer));
