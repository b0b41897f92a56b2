import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../../electron/main/app-menu';

function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

describe('application menu', () => {
  it('offers the usual roles on Linux and Windows, without the macOS app menu', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const template = buildMenuTemplate(platform, 'QMP Monitor');
      expect(template.map((item) => item.role)).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
      expect(roles(template)).toEqual(
        expect.arrayContaining(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'toggleDevTools',
          'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'close']),
      );
      expect(roles(template)).not.toContain('services');
    }
  });

  it('adds the app-name menu with quit on macOS', () => {
    const template = buildMenuTemplate('darwin', 'QMP Monitor');
    expect(template[0]?.label).toBe('QMP Monitor');
    expect(roles([template[0]!])).toContain('quit');
  });

  it('uses roles only: no click handlers that could run custom code', () => {
    const all = (items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
      items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? all(item.submenu) : [])]);
    for (const item of all(buildMenuTemplate('linux', 'QMP Monitor'))) expect(item.click).toBeUndefined();
  });
});
