/**
 * Shapes of the VM's screen and the QOM browser as they cross the contract.
 *
 * Kept out of models.ts so the screen and QOM requests have one home; contract.ts only names
 * them. The screen travels as a `data:image/png;base64,…` URL because the app's CSP allows
 * `img-src 'self' data:` and nothing else: no blob: or remote image origin is needed.
 */
import { z } from 'zod';

/** Why there is no picture of the screen, so the page can word it and tests can assert it. */
export const SCREEN_UNAVAILABLE_KINDS = ['remote', 'no-display', 'not-connected', 'unsupported', 'unwritable', 'unseen', 'error'] as const;

/** A screendump of the VM's display, or the note that stands in for it. */
export const ScreenshotSchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    /** `data:image/png;base64,…` (PNG from QEMU, or QEMU's PPM converted by the core). */
    dataUrl: z.string().startsWith('data:image/png;base64,'),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** What QEMU wrote: PNG where its schema offers `format`, else PPM. */
    format: z.enum(['png', 'ppm']),
    /** Epoch ms when QEMU answered. */
    takenAt: z.number(),
  }),
  z.object({
    available: z.literal(false),
    kind: z.enum(SCREEN_UNAVAILABLE_KINDS),
    /** One sentence for people: what is missing and, where it helps, what to change. */
    note: z.string(),
  }),
]);
/** @see ScreenshotSchema */
export type Screenshot = z.infer<typeof ScreenshotSchema>;

/** One property of a QOM object as `qom-list` names it (`child<…>` and `link<…>` are branches). */
export const QomPropertySchema = z.object({ name: z.string(), type: z.string() });
/** @see QomPropertySchema */
export type QomProperty = z.infer<typeof QomPropertySchema>;

/** A QOM path as QEMU takes it: absolute, bounded. */
export const qomPath = z.string().min(1).max(4096).startsWith('/');
/** A property name as QEMU takes it. */
export const qomPropertyName = z.string().min(1).max(1024);
