/**
 * Enforces the layer rules mechanically, so a stray import fails CI instead of review.
 *
 * | layer            | may import                                                        |
 * | electron/common  | zod, other electron/common files                                  |
 * | electron/core    | anything except electron, electron/main, electron/preload, renderer |
 * | electron/preload | electron, preload files, electron/common (contract: types only)   |
 * | electron/main    | anything but renderer                                             |
 * | renderer         | React/UI libraries, renderer files, electron/common (no node:*)   |
 * Only electron/main and electron/preload may import 'electron'.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['electron', 'renderer', 'bench', 'scripts'];
const RENDERER_PACKAGES = [/^react$/, /^react\//, /^react-dom(\/|$)/, /^zustand(\/|$)/, /^@tanstack\//, /^uplot(\/|$)/, /^zod(\/|$)/];

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
    } else if (within(file, 'electron/preload')) {
      if (target === null && !isElectron) say('is a package; the sandboxed preload bundles only electron/common');
      if (target && !within(target, 'electron/preload') && !within(target, 'electron/common')) say('leaves preload/common');
      if (target === 'electron/common/contract' && !typeOnly) say('pulls zod into the preload (import the contract as types only)');
    } else if (within(file, 'electron/main')) {
      if (target && within(target, 'renderer')) say('reaches from main into the renderer');
    } else if (within(file, 'renderer')) {
      if (target === null && (isNodeBuiltin(specifier) || !RENDERER_PACKAGES.some((pattern) => pattern.test(specifier)))) {
        say('is not a React/UI library');
      }
      if (target && !within(target, 'renderer') && !within(target, 'electron/common')) say('leaves renderer/common');
    }
  }
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
    const problems = files.flatMap((file) => layerViolations(file, importsOf(file, readFileSync(join(ROOT, file), 'utf8'))));
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
    expect(check('renderer/src/a.tsx', "import { x } from '../../electron/core/monitor-service';")).toHaveLength(1);
    expect(check('renderer/src/a.tsx', "import { ipcRenderer } from 'electron';")).toHaveLength(2);
    expect(check('renderer/src/a.tsx', "import { useState } from 'react';\nimport { REQUESTS } from '../../electron/common/contract';")).toEqual([]);
    expect(check('electron/preload/x.ts', "import { REQUESTS } from '../common/contract';")).toHaveLength(1);
    expect(check('electron/preload/x.ts', "import type { QmpMonitorApi } from '../common/contract';")).toEqual([]);
    expect(check('electron/preload/x.ts', "import { type QmpMonitorApi } from '../common/contract';")).toEqual([]);
    expect(check('electron/preload/x.ts', "import { createMonitorService } from '../core/monitor-service';")).toHaveLength(1);
    expect(check('electron/preload/x.ts', "const z = require('zod');")).toHaveLength(1);
    expect(check('electron/web/x.ts', "import { BrowserWindow } from 'electron';")).toHaveLength(1);
    expect(check('bench/x.ts', "import type { App } from 'electron';")).toHaveLength(1);
  });
});
