/**
 * Which job actions QEMU accepts in which job state, so a button is enabled only when QEMU
 * would take it and otherwise says why not.
 *
 * Taken from QEMU 7.2's `JobVerbTable` in job.c (the table behind qapi/job.json's JobVerb and
 * JobStatus docs); QEMU rejects any other pair with "Job 'x' in state 'y' cannot accept command
 * verb 'z'". Two checks QEMU makes outside the table are added: pause needs a job not already
 * paused by the user, resume one that is.
 */
import type { JobRow } from './jobs-models';

/** The job actions the app offers, each one QMP command. */
export const JOB_ACTIONS = ['pause', 'resume', 'cancel', 'complete', 'finalize', 'dismiss'] as const;
/** @see JOB_ACTIONS */
export type JobAction = (typeof JOB_ACTIONS)[number];

/** The QMP command of each action. */
export const JOB_ACTION_COMMANDS: Readonly<Record<JobAction, string>> = {
  pause: 'job-pause',
  resume: 'job-resume',
  cancel: 'job-cancel',
  complete: 'job-complete',
  finalize: 'job-finalize',
  dismiss: 'job-dismiss',
};

/** States in which QEMU's JobVerbTable allows each verb. */
const ALLOWED_STATES: Readonly<Record<JobAction, readonly string[]>> = {
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending', 'aborting'],
  pause: ['created', 'running', 'paused', 'ready', 'standby'],
  resume: ['created', 'running', 'paused', 'ready', 'standby'],
  complete: ['ready'],
  finalize: ['pending'],
  dismiss: ['concluded'],
};

/** Whether an action can be used on a job now, and if not, why (for the button's description). */
export type ActionAvailability = { readonly enabled: true } | { readonly enabled: false; readonly reason: string };

/** Decides whether `action` is open for `job`; an ended job the app alone remembers can only be dismissed. */
export function jobActionAvailability(job: JobRow, action: JobAction): ActionAvailability {
  if (!job.inQemu) {
    return action === 'dismiss' ? { enabled: true } : { enabled: false, reason: `the job has ended (${job.outcome ?? job.state}) and QEMU no longer lists it` };
  }
  const allowed = ALLOWED_STATES[action];
  if (!allowed.includes(job.state)) {
    return { enabled: false, reason: `QEMU accepts ${JOB_ACTION_COMMANDS[action]} only when the job is ${allowed.join(', ')}; it is ${job.state}` };
  }
  if (action === 'pause' && job.userPaused === true) return { enabled: false, reason: 'the job is already paused' };
  if (action === 'resume' && job.userPaused !== true) return { enabled: false, reason: 'the job was not paused by a user' };
  return { enabled: true };
}
