/**
 * The application menu: standard roles only, so every item and shortcut is Electron's own.
 *
 * The contract has no main → renderer "command" push, so app-specific actions (add a
 * connection, …) live in the renderer's own keyboard handling rather than here.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** Builds the menu template; the app-name menu exists only on macOS, as the platform expects. */
export function buildMenuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    { role: 'fileMenu', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      role: 'viewMenu',
      submenu: [
        // A reload is safe: the renderer catches up with getEvents after it.
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'windowMenu',
      submenu: [{ role: 'minimize' }, { role: 'zoom' }, ...(isMac ? [] : [{ role: 'close' } as const])],
    },
    { role: 'help', submenu: [{ role: 'about', label: `About ${appName}` }] },
  ];
  return isMac ? [appMenu, ...template] : template;
}
