/**
 * The connected QEMU's schema, put into CodeMirror: completion (Ctrl+Space and while typing),
 * inline diagnostics before sending, and the command's signature on hover.
 *
 * Every decision comes from the shared schema model (electron/common/qapi, the same one
 * `qmp-monitor shell` uses); this file only adapts its answers to CodeMirror's shapes. In HMP
 * mode the first word completes from the names `help` listed, and nothing is linted: HMP has
 * no schema.
 */
import { autocompletion, type Completion as CmCompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { linter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';
import { checkCommandText } from '../../../../electron/common/qapi/command-check';
import { parseCommandText } from '../../../../electron/common/qapi/command-text';
import { completeAt, completeHmpAt, signatureOf, type Completion, type CompletionOption } from '../../../../electron/common/qapi/completion';
import type { SchemaModel } from '../../../../electron/common/qapi/schema-types';
import type { ConsoleMode } from '../../state/console-state';

/** What the editor knows about the VM it talks to. */
export interface SchemaSupport {
  readonly mode: ConsoleMode;
  /** The VM's schema model, once read (undefined: no completion or lint yet). */
  readonly model: SchemaModel | undefined;
  /** HMP command names from `help`, once read. */
  readonly hmpNames: readonly string[] | undefined;
  /** Whether OOB was negotiated on this connection (undefined: not known). */
  readonly oobNegotiated: boolean | undefined;
}

/** CodeMirror's icon kinds for the model's option kinds. */
const TYPE_OF: Readonly<Record<CompletionOption['kind'], string>> = {
  command: 'function',
  hmp: 'function',
  argument: 'property',
  member: 'property',
  enum: 'enum',
  boolean: 'keyword',
};

/** Marks a deprecated option in the list (struck through, and the word in its detail). */
const DEPRECATED_CLASS = 'cm-qmp-deprecated';

function toCodeMirror(option: CompletionOption): CmCompletion {
  return {
    label: option.label,
    ...(option.apply !== undefined ? { apply: option.apply } : {}),
    type: TYPE_OF[option.kind],
    detail: option.deprecated ? `deprecated · ${option.detail}` : option.detail,
    ...(option.info !== undefined ? { info: option.info } : {}),
    ...(option.deprecated ? { boost: -1 } : {}),
  };
}

/** The model's completion for the text at `pos`, or null. */
export function completionFor(support: SchemaSupport, text: string, pos: number): Completion | null {
  if (support.mode === 'hmp') return support.hmpNames ? completeHmpAt(support.hmpNames, text, pos) : null;
  return support.model ? completeAt(support.model, text, pos) : null;
}

/** The one-line signature of the command being typed, for the line under the editor. */
export function signatureForText(support: SchemaSupport, text: string): string | undefined {
  if (support.mode !== 'qmp' || !support.model) return undefined;
  const parsed = parseCommandText(text);
  return parsed.command === undefined ? undefined : signatureOf(support.model, parsed.command);
}

/** The model's diagnostics for `text` (QMP mode with a schema only). */
export function diagnosticsFor(support: SchemaSupport, text: string) {
  if (support.mode !== 'qmp' || !support.model || text.trim() === '') return [];
  return checkCommandText(support.model, text, support.oobNegotiated === undefined ? {} : { oobNegotiated: support.oobNegotiated });
}

/** The CodeMirror extensions for `support`. */
export function schemaExtensions(support: SchemaSupport): Extension {
  const source = (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const found = completionFor(support, text, context.pos);
    if (!found || found.options.length === 0) return null;
    // While typing, open only where something was typed or a value is expected; Ctrl+Space always.
    if (!context.explicit && found.from === found.to && !/[=:"\s]$/.test(text.slice(0, context.pos))) return null;
    return { from: found.from, to: found.to, options: found.options.map(toCodeMirror), filter: false };
  };
  const deprecated = new Set<string>();
  return [
    autocompletion({
      override: [
        (context) => {
          const result = source(context);
          deprecated.clear();
          for (const option of result?.options ?? []) if (option.detail?.startsWith('deprecated')) deprecated.add(option.label);
          return result;
        },
      ],
      icons: false,
      // Enter takes the option at once, however fast the list opened (a typist's Enter is not a misclick).
      interactionDelay: 0,
      optionClass: (option) => (deprecated.has(option.label) ? DEPRECATED_CLASS : ''),
      tooltipClass: () => 'cm-qmp-completion',
    }),
    linter(
      (view): CmDiagnostic[] =>
        diagnosticsFor(support, view.state.doc.toString()).map((d) => ({ from: d.from, to: Math.max(d.to, d.from), severity: d.severity, message: d.message })),
      { delay: 250 },
    ),
    hoverTooltip((view, pos) => {
      if (support.mode !== 'qmp' || !support.model) return null;
      const text = view.state.doc.toString();
      const parsed = parseCommandText(text);
      const range = parsed.commandRange;
      if (parsed.command === undefined || !range || pos < range.from || pos > range.to) return null;
      const signature = signatureOf(support.model, parsed.command);
      if (signature === undefined) return null;
      const info = support.model.commands.get(parsed.command);
      return {
        pos: range.from,
        end: range.to,
        above: true,
        create: () => {
          const dom = document.createElement('div');
          dom.className = 'cm-qmp-signature';
          // Text only: a command name from the user's text never becomes markup.
          dom.textContent = `${signature}${info?.deprecated ? ' (deprecated)' : ''}${info?.allowOob ? ' · allow-oob' : ''}`;
          return { dom };
        },
      };
    }),
  ];
}
