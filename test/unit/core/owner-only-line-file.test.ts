/**
 * The owner-only line file behind `shell --log` and `--record`: mode 0600, append or start
 * empty, and a failed write that stops the file once instead of throwing into the session.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OwnerOnlyLineFile } from '../../../electron/core/vm/owner-only-line-file';
import { makeTempDir, removeTempDir } from '../../support/temp-dirs';

describe('OwnerOnlyLineFile', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) removeTempDir(dir);
    dir = undefined;
  });

  it('creates the file readable by its owner only, one line per write', () => {
    dir = makeTempDir('qmp-line-file-');
    const path = join(dir, 'log.jsonl');
    const file = OwnerOnlyLineFile.open(path, 'a', 'the log', () => undefined);
    file.writeLine('{"a":1}');
    file.writeLine('{"b":2}');
    file.close();
    file.writeLine('dropped after close');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it("appends with 'a' and starts empty with 'w'", () => {
    dir = makeTempDir('qmp-line-file-');
    const path = join(dir, 'file.txt');
    writeFileSync(path, 'old\n');
    const appended = OwnerOnlyLineFile.open(path, 'a', 'the log', () => undefined);
    appended.writeLine('new');
    appended.close();
    expect(readFileSync(path, 'utf8')).toBe('old\nnew\n');
    const replaced = OwnerOnlyLineFile.open(path, 'w', 'the recording', () => undefined);
    replaced.writeLine('only');
    replaced.close();
    expect(readFileSync(path, 'utf8')).toBe('only\n');
  });

  it('names the file and the reason when it cannot be opened', () => {
    dir = makeTempDir('qmp-line-file-');
    const path = join(dir, 'missing', 'file.txt');
    expect(() => OwnerOnlyLineFile.open(path, 'w', 'the recording', () => undefined)).toThrow(`cannot write the recording ${path}: the folder does not exist`);
    expect(existsSync(path)).toBe(false);
  });

  it('stops once, with the reason, when a write fails (a full disk), and drops later lines', () => {
    const reasons: string[] = [];
    const file = OwnerOnlyLineFile.open('/dev/full', 'a', 'the log', (reason) => reasons.push(reason));
    file.writeLine('first');
    file.writeLine('second');
    expect(reasons).toEqual(['the disk is full']);
  });
});
