/**
 * The only bridge between the sandboxed renderer and the station: two
 * functions over two IPC channels. No Node, no Electron objects cross it.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type VigilBridge } from '../shared/ipc.js';

const bridge: VigilBridge = {
  call: (method, params) => ipcRenderer.invoke(ipcChannels.call, method, params),
  on(listener) {
    const handler = (_event: IpcRendererEvent, name: string, data: unknown) => listener(name, data);
    ipcRenderer.on(ipcChannels.event, handler);
    return () => void ipcRenderer.removeListener(ipcChannels.event, handler);
  },
};

contextBridge.exposeInMainWorld('vigil', bridge);
