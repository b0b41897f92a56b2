import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// Removed after the file by test/support/remove-temp-dirs.ts.
import { makeTempDir } from '../../support/temp-dirs';

const ROOT = join(__dirname, '../../..');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

type Config = Record<string, unknown> & { files?: Array<string | { filter: string[] }>; electronFuses?: Record<string, boolean>; extraMetadata?: { main?: string } };

/** electron-builder's own loader and schema validator (no Electron download needed). */
async function loadBuilderConfig(path: string | null): Promise<Config> {
  const { getConfig, validateConfiguration } = requireFromRoot('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, path: string | null, options: null): Promise<Config>;
    validateConfiguration(config: Config, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = requireFromRoot('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(ROOT, path, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('packaging', () => {
  it('electron-builder.yml passes electron-builder schema validation and ships only the build output', async () => {
    const config = await loadBuilderConfig(null);
    expect(config['productName']).toBe('QMP Monitor');
    const files = (config.files ?? []).flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.filter));
    expect(files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']));
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true });
    for (const platform of ['linux', 'mac', 'win']) expect(config[platform]).toBeDefined();
    expect(existsSync(join(ROOT, 'build/icon.png'))).toBe(true);
  });

  it('rejects a misspelt option, so passing validation means something', async () => {
    const dir = makeTempDir('qmp-builder-');
    const bad = join(dir, 'electron-builder.yml');
    writeFileSync(bad, readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8').replace('oneClick:', 'oneClik:'));
    await expect(loadBuilderConfig(bad)).rejects.toThrow(/does not match the API schema/);
  });

  it('points main at the CommonJS file electron-vite emits', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; type?: string };
    expect(pkg.main).toBe('out/main/index.js');
    // electron-vite emits CJS for main unless package.json says "type": "module".
    expect(pkg.type ?? 'commonjs').toBe('commonjs');
    const built = join(ROOT, pkg.main);
    expect(existsSync(built), 'run npx electron-vite build first').toBe(true);
    const code = readFileSync(built, 'utf8');
    expect(code).toMatch(/require\("electron"\)/);
    expect(code).not.toMatch(/^\s*import\s/m);
  });
});
