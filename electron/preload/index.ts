import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('qmp', {});
