/**
 * Hands a second launch's `--connect` targets to the instance that is already running.
 *
 * The second instance sends its targets (made absolute against its own working folder, which
 * the first instance does not share) as the lock's additional data and quits; the first
 * instance validates that data like any other untrusted input and adds each new target
 * through the same validated path the UI uses.
 */
import { isAbsolute, resolve } from 'node:path';
import type { RequestHandlers } from '../common/contract';
import { dispatchRequest } from '../common/dispatch';
import { formatTarget, parseTarget } from '../core/qmp/target';
import type { QmpTarget } from '../core/qmp/types';

/** What travels in `requestSingleInstanceLock(additionalData)`. */
export interface ForwardedLaunch {
  readonly connect: readonly string[];
}

/** At most this many targets are taken from one forwarded launch. */
export const MAX_FORWARDED_TARGETS = 64;

/**
 * Makes a target independent of the working folder.
 *
 * A socket path (however it was written) becomes `unix:<absolute path>`; TCP targets have no
 * folder part and pass through. Text the core's parser rejects passes through unchanged, so
 * the running instance refuses it with the parser's own message.
 */
export function absolutizeTarget(target: string, cwd: string): string {
  let parsed: QmpTarget;
  try {
    parsed = parseTarget(target);
  } catch {
    return target;
  }
  return parsed.kind === 'unix' && !isAbsolute(parsed.path) ? formatTarget({ kind: 'unix', path: resolve(cwd, parsed.path) }) : target;
}

/** Builds the additional data a second instance sends. */
export function forwardedLaunch(targets: readonly string[], cwd: string): ForwardedLaunch {
  return { connect: targets.map((target) => absolutizeTarget(target, cwd)) };
}

/** Reads targets out of untrusted additional data; anything malformed yields none. */
export function readForwardedTargets(additionalData: unknown): string[] {
  if (typeof additionalData !== 'object' || additionalData === null) return [];
  const connect = (additionalData as Record<string, unknown>)['connect'];
  if (!Array.isArray(connect)) return [];
  return connect
    .filter((target): target is string => typeof target === 'string' && target.length > 0 && target.length <= 4096)
    .slice(0, MAX_FORWARDED_TARGETS);
}

/**
 * Adds every forwarded target not already configured; returns the messages to log.
 *
 * Each add goes through `dispatchRequest`, so a bad target is refused by the contract's
 * schema with the same error the UI would get.
 */
export async function connectForwardedTargets(handlers: RequestHandlers, targets: readonly string[]): Promise<string[]> {
  const messages: string[] = [];
  const known = new Set<string>();
  try {
    for (const vm of await handlers.listVms({})) known.add(vm.config.target);
  } catch (error) {
    messages.push(`second instance: could not list VMs: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const target of new Set(targets)) {
    if (known.has(target)) {
      messages.push(`second instance: ${target} is already configured`);
      continue;
    }
    const added = await dispatchRequest(handlers, 'addVm', { target, autoConnect: true });
    messages.push(added.ok ? `second instance: added ${target}` : `second instance: ${target} refused: ${added.error}`);
  }
  return messages;
}
