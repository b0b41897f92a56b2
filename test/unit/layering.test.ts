/**
 * Enforces the layer rules mechanically, so a stray import fails CI instead of review.
 *
 * | layer            | may import                                                        |
 * | electron/common  | zod, other electron/common files                                  |
 * | electron/core    | anything except electron, electron/main, electron/preload, renderer, hosts |
 * | electron/hosts   | what the app and the web host share (args, built files): common, core |
 * | electron/preload | electron, preload files, electron/common (contract: types only)   |
 * | electron/main    | anything but renderer                                             |
 * | electron/cli,web | Node hosts: common, core, hosts, packages; never electron, main, preload, renderer |
 * | renderer         | React/UI libraries, renderer files, electron/common (no node:*)   |
 * Only electron/main and electron/preload may import 'electron'.
 * Raw IPC has one home each: Electron's `ipcMain` only in electron/main/ipc-host.ts,
 * `webContents.send` only in electron/main/push-forwarder.ts, `ipcRenderer` only in
 * electron/preload/index.ts (the same rule ESLint's no-restricted-imports holds).
 * Inside the renderer, a feature (renderer/src/features/X) imports only its own folder, state/,
 * ui/, lib/ and api/ types; renderer/src/app composes the features. Only state/ calls the API
 * (`store.api` anywhere else is a violation): components call the store's methods.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['electron', 'renderer', 'bench', 'scripts'];
const RENDERER_PACKAGES = [/^react$/, /^react\//, /^react-dom(\/|$)/, /^zustand(\/|$)/, /^@tanstack\//, /^uplot(\/|$)/, /^zod(\/|$)/, /^@codemirror\//, /^@lezer\//];

/** One import found in a source file. */
interface ImportRef {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** Every module specifier a file imports, exports from, requires or dynamically imports. */
function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: allTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) found.push({ specifier: (node.arguments[0] as ts.StringLiteral).text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
}

function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + '/');
}

/** Checks one file's imports against the rules; returns human-readable violations. */
function layerViolations(file: string, imports: readonly ImportRef[]): string[] {
  const problems: string[] = [];
  for (const { specifier, typeOnly } of imports) {
    const relativeImport = specifier.startsWith('.');
    const target = relativeImport ? relative(ROOT, resolve(ROOT, dirname(file), specifier)).split(sep).join('/') : null;
    const say = (rule: string): void => void problems.push(`${file}: '${specifier}' ${rule}`);
    const isElectron = specifier === 'electron' || specifier.startsWith('electron/');
    if (isElectron && !within(file, 'electron/main') && !within(file, 'electron/preload')) {
      say("imports 'electron' outside electron/main and electron/preload");
    }
    if (within(file, 'electron/common')) {
      if (target === null ? specifier !== 'zod' : !within(target, 'electron/common')) say('leaves electron/common (only zod and common files allowed)');
    } else if (within(file, 'electron/core')) {
      if (target && ['electron/main', 'electron/preload', 'renderer'].some((layer) => within(target, layer))) say('reaches from core into a UI/shell layer');
      if (target && within(target, 'electron/hosts')) say('reaches from core into a host concern (electron/hosts)');
    } else if (within(file, 'electron/preload')) {
      if (target === null && !isElectron) say('is a package; the sandboxed preload bundles only electron/common');
      if (target && !within(target, 'electron/preload') && !within(target, 'electron/common')) say('leaves preload/common');
      if (target === 'electron/common/contract' && !typeOnly) say('pulls zod into the preload (import the contract as types only)');
    } else if (within(file, 'electron/cli') || within(file, 'electron/web') || within(file, 'electron/hosts')) {
      if (target && ['electron/main', 'electron/preload', 'renderer'].some((layer) => within(target, layer))) {
        say('reaches from a Node host (cli/web) into a UI/shell layer');
      }
    } else if (within(file, 'electron/main')) {
      if (target && within(target, 'renderer')) say('reaches from main into the renderer');
    } else if (within(file, 'renderer')) {
      if (target === null && (isNodeBuiltin(specifier) || !RENDERER_PACKAGES.some((pattern) => pattern.test(specifier)))) {
        say('is not a React/UI library');
      }
      if (target && !within(target, 'renderer') && !within(target, 'electron/common')) say('leaves renderer/common');
      const feature = /^renderer\/src\/features\/([^/]+)\//.exec(file)?.[1];
      if (feature !== undefined && target && within(target, 'renderer/src')) {
        const allowed = [`renderer/src/features/${feature}`, 'renderer/src/state', 'renderer/src/ui', 'renderer/src/lib'];
        const apiTypes = within(target, 'renderer/src/api') && typeOnly;
        if (!apiTypes && !allowed.some((folder) => within(target, folder))) say(`reaches out of feature '${feature}' (compose features in renderer/src/app)`);
      }
    }
  }
  return problems;
}

/** Renderer code outside state/ that reaches the API through the store instead of its methods. */
function storeApiViolations(file: string, text: string): string[] {
  if (!within(file, 'renderer') || within(file, 'renderer/src/state')) return [];
  return /\bstore\s*\.\s*api\b/.test(text) ? [`${file}: calls store.api (only renderer/src/state may call the API)`] : [];
}

/** The one file allowed to use each raw IPC API. */
const RAW_IPC_HOMES = {
  ipcMain: 'electron/main/ipc-host.ts',
  ipcRenderer: 'electron/preload/index.ts',
  'webContents.send': 'electron/main/push-forwarder.ts',
} as const;

/**
 * Uses of raw IPC outside its home: `ipcMain`/`ipcRenderer` imported, destructured or read as a
 * property (`electron.ipcMain`, `require('electron').ipcRenderer`), and `.send(…)` called on
 * anything reached through a `webContents` or an event's `sender`.
 */
function rawIpcViolations(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const use = (api: keyof typeof RAW_IPC_HOMES, node: ts.Node): void => {
    if (file === RAW_IPC_HOMES[api]) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    problems.push(`${file}:${line}: raw ${api} outside ${RAW_IPC_HOMES[api]}`);
  };
  const ipcName = (name: string): name is 'ipcMain' | 'ipcRenderer' => name === 'ipcMain' || name === 'ipcRenderer';
  const visit = (node: ts.Node): void => {
    if (ts.isImportSpecifier(node) && ipcName((node.propertyName ?? node.name).text)) use((node.propertyName ?? node.name).text as 'ipcMain', node);
    if (ts.isBindingElement(node)) {
      const key = node.propertyName ?? node.name;
      if (ts.isIdentifier(key) && ipcName(key.text)) use(key.text, node);
    }
    if (ts.isPropertyAccessExpression(node) && ipcName(node.name.text)) use(node.name.text, node);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'send') {
      if (/\bwebContents\b|\bsender\b/i.test(node.expression.expression.getText(source))) use('webContents.send', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

function sourceFiles(dir: string): string[] {
  const entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('layering', () => {
  it('every source file respects its layer', () => {
    const files = SOURCE_DIRS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return [...layerViolations(file, importsOf(file, text)), ...storeApiViolations(file, text), ...rawIpcViolations(file, text)];
    });
    expect(problems).toEqual([]);
  });

  it('catches each kind of violation (the checker itself can fail)', () => {
    const check = (file: string, code: string): string[] => layerViolations(file, importsOf(file, code));
    expect(check('electron/core/x.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(check('electron/core/x.ts', "import { a } from '../main/window';")).toHaveLength(1);
    expect(check('electron/core/x.ts', "const r = await import('../../renderer/src/main');")).toHaveLength(1);
    expect(check('electron/common/x.ts', "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(check('electron/common/x.ts', "export { x } from '../core/y';")).toHaveLength(1);
    expect(check('electron/common/x.ts', "import { z } from 'zod';\nimport { a } from './models';")).toEqual([]);
    expect(check('renderer/src/a.tsx', "import { spawn } from 'node:child_process';")).toHaveLength(1);
    expect(check('renderer/src/a.tsx', "import fs from 'fs';")).toHaveLength(1);
    expect(check('renderer/src/a.tsx', "import { x } from '../../electron/core/service/monitor-service';")).toHaveLength(1);
    expect(check('renderer/src/a.tsx', "import { ipcRenderer } from 'electron';")).toHaveLength(2);
    expect(check('renderer/src/a.tsx', "import { useState } from 'react';\nimport { REQUESTS } from '../../electron/common/contract';")).toEqual([]);
    expect(check('electron/preload/x.ts', "import { REQUESTS } from '../common/contract';")).toHaveLength(1);
    expect(check('electron/preload/x.ts', "import type { QmpMonitorApi } from '../common/contract';")).toEqual([]);
    expect(check('electron/preload/x.ts', "import { type QmpMonitorApi } from '../common/contract';")).toEqual([]);
    expect(check('electron/preload/x.ts', "import { createMonitorService } from '../core/monitor-service';")).toHaveLength(1);
    expect(check('electron/preload/x.ts', "const z = require('zod');")).toHaveLength(1);
    expect(check('electron/web/x.ts', "import { BrowserWindow } from 'electron';")).toHaveLength(1);
    expect(check('bench/x.ts', "import type { App } from 'electron';")).toHaveLength(1);
    const feature = 'renderer/src/features/status/x.tsx';
    expect(check(feature, "import { VmActions } from '../actions/vm-actions';")).toHaveLength(1);
    expect(check(feature, "import { Root } from '../../app/root';")).toHaveLength(1);
    expect(check(feature, "import { loadQmpApi } from '../../api/qmp-api';")).toHaveLength(1);
    expect(check(feature, "import type { LoadedApi } from '../../api/qmp-api';")).toEqual([]);
    expect(
      check(feature, "import { a } from './y';\nimport { useStore } from '../../state/store-context';\nimport { Dialog } from '../../ui/dialog';\nimport { f } from '../../lib/format';"),
    ).toEqual([]);
    expect(check('renderer/src/app/composed-features.tsx', "import { VmActions } from '../features/actions/vm-actions';")).toEqual([]);
    expect(storeApiViolations('renderer/src/features/demo/x.tsx', 'await store.api.startDemo({});')).toHaveLength(1);
    expect(storeApiViolations('renderer/src/features/demo/x.tsx', 'await store.startDemo();')).toEqual([]);
    expect(storeApiViolations('renderer/src/state/monitor-store.ts', 'this.api.startDemo({}); store.api')).toEqual([]);
  });
});

describe('raw IPC and the Node hosts (the checker itself can fail)', () => {
  const check = (file: string, code: string): string[] => [...layerViolations(file, importsOf(file, code)), ...rawIpcViolations(file, code)];

  it('keeps host concerns out of the core', () => {
    expect(check('electron/core/service/x.ts', "import { parseAppArgs } from '../../hosts/app-args';")).toHaveLength(1);
    expect(check('electron/core/service/x.ts', "import { parseTarget } from '../qmp/target';")).toEqual([]);
  });

  it('keeps electron/cli and electron/web off electron, main, preload and the renderer', () => {
    for (const host of ['electron/cli/x.ts', 'electron/web/x.ts', 'electron/hosts/x.ts']) {
      expect(check(host, "import { app } from 'electron';"), host).toHaveLength(1);
      expect(check(host, "import { createMainWindow } from '../main/window';"), host).toHaveLength(1);
      expect(check(host, "import { buildQmpBridge } from '../preload/bridge';"), host).toHaveLength(1);
      expect(check(host, "const m = await import('../../renderer/src/main');"), host).toHaveLength(1);
      expect(check(host, "export type { X } from '../main/sender-guard';"), host).toHaveLength(1);
      expect(
        check(host, "import { readFile } from 'node:fs';\nimport WebSocket from 'ws';\nimport { REQUESTS } from '../common/contract';\nimport { createMonitorService } from '../core/service/monitor-service';"),
        host,
      ).toEqual([]);
    }
  });

  it('allows ipcMain only in the IPC host, webContents.send only in the push forwarder, ipcRenderer only in the preload entry', () => {
    expect(check('electron/main/ipc-host.ts', "import { ipcMain } from 'electron';\nipcMain.handle('c', f);")).toEqual([]);
    expect(check('electron/main/index.ts', "import { app, ipcMain } from 'electron';")).toEqual([
      "electron/main/index.ts:1: raw ipcMain outside electron/main/ipc-host.ts",
    ]);
    expect(check('electron/main/index.ts', "import { ipcMain as bus } from 'electron';")).toHaveLength(1);
    expect(check('electron/main/index.ts', "import * as electron from 'electron';\nelectron.ipcMain.handle('c', f);")).toHaveLength(1);
    expect(check('electron/main/index.ts', "const { ipcMain } = require('electron');")).toHaveLength(1);
    expect(check('electron/main/window.ts', 'win.webContents.send("qmp:push:events", payload);')).toHaveLength(1);
    expect(check('electron/main/window.ts', 'webContents.getAllWebContents()[0].send("x");')).toHaveLength(1);
    expect(check('electron/main/window.ts', 'event.sender.send("x");')).toHaveLength(1);
    expect(check('electron/main/push-forwarder.ts', 'win.webContents.send("qmp:push:events", payload);')).toEqual([]);
    expect(check('electron/web/ws-bridge.ts', 'socket.send(JSON.stringify(message));')).toEqual([]);
    expect(check('electron/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';")).toEqual([]);
    expect(check('electron/preload/bridge.ts', "import { ipcRenderer } from 'electron';")).toHaveLength(1);
    expect(check('electron/main/ipc-host.ts', "import { ipcRenderer } from 'electron';")).toHaveLength(1);
  });

  it('finds a violation planted in a synthetic tree, and none in the same tree without it', () => {
    const tree: Record<string, string> = {
      'electron/main/ipc-host.ts': "import { ipcMain } from 'electron';\nexport const serve = () => ipcMain.handle('a', () => 1);",
      'electron/main/push-forwarder.ts': 'export const push = (c: { send(x: string): void }) => c.send("x");',
      'electron/main/index.ts': "import { app } from 'electron';\nimport { serve } from './ipc-host';\napp.on('ready', serve);",
      'electron/web/main.ts': "import { createMonitorService } from '../core/service/monitor-service';",
      'electron/preload/index.ts': "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('qmp', ipcRenderer);",
    };
    const scan = (files: Record<string, string>): string[] => Object.entries(files).flatMap(([file, code]) => check(file, code));
    expect(scan(tree)).toEqual([]);
    expect(scan({ ...tree, 'electron/main/index.ts': `${tree['electron/main/index.ts']!}\nimport { ipcMain } from 'electron';` })).toHaveLength(1);
    expect(scan({ ...tree, 'electron/web/main.ts': "import { secureSession } from '../main/secure-session';" })).toHaveLength(1);
    expect(scan({ ...tree, 'electron/main/index.ts': 'mainWindow.webContents.send("qmp:push:events", 1);' })).toHaveLength(1);
  });
});
