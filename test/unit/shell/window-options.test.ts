import { describe, expect, it } from 'vitest';
import { buildWebPreferences, buildWindowOptions } from '../../../electron/main/window-options';

describe('window options', () => {
  const preload = '/app/out/preload/index.cjs';

  it('turns on every isolation switch and points at the single-file preload', () => {
    const prefs = buildWebPreferences(preload);
    expect(prefs).toMatchObject({
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('places the window at the given bounds and keeps it hidden until ready', () => {
    const options = buildWindowOptions({ x: 10, y: 20, width: 900, height: 700 }, preload);
    expect(options).toMatchObject({ x: 10, y: 20, width: 900, height: 700, show: false, title: 'QMP Monitor' });
    expect(options.webPreferences).toEqual(buildWebPreferences(preload));
  });
});
