import { createEffect, on, onCleanup, onMount, type JSX } from 'solid-js';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { powerShell } from '@codemirror/legacy-modes/mode/powershell';
import type { Interpreter } from '../../../protocol/command';
import '../styles/automation.css';

function languageFor(interpreter: Interpreter): Extension {
  switch (interpreter) {
    case 'python':
      return python();
    case 'powershell':
      return StreamLanguage.define(powerShell);
    default:
      return StreamLanguage.define(shell);
  }
}

/**
 * A CodeMirror 6 editor for script bodies. The document is owned by the editor while it is
 * mounted: `value` only replaces it when it differs from what the editor holds (a version
 * picked, a reset), so typing never fights the prop. Ctrl/⌘+S and Ctrl/⌘+Enter call `onSave`.
 */
export function CodeEditor(props: {
  value: string;
  interpreter: Interpreter;
  readOnly?: boolean;
  label: string;
  testId?: string;
  onChange?: (text: string) => void;
  onSave?: () => void;
}): JSX.Element {
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  const language = new Compartment();
  const readOnly = new Compartment();

  const save = () => {
    props.onSave?.();
    return true;
  };

  onMount(() => {
    view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([{ key: 'Mod-s', run: save, preventDefault: true }, { key: 'Mod-Enter', run: save, preventDefault: true }, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          language.of(languageFor(props.interpreter)),
          readOnly.of([EditorState.readOnly.of(!!props.readOnly), EditorView.editable.of(!props.readOnly)]),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) props.onChange?.(u.state.doc.toString());
          }),
        ],
      }),
    });
  });
  onCleanup(() => view?.destroy());

  createEffect(on(() => props.interpreter, (i) => view?.dispatch({ effects: language.reconfigure(languageFor(i)) }), { defer: true }));
  createEffect(
    on(() => props.readOnly, (ro) => view?.dispatch({ effects: readOnly.reconfigure([EditorState.readOnly.of(!!ro), EditorView.editable.of(!ro)]) }), { defer: true }),
  );
  createEffect(
    on(() => props.value, (text) => {
      if (!view) return;
      const current = view.state.doc.toString();
      if (current !== text) view.dispatch({ changes: { from: 0, to: current.length, insert: text } });
    }, { defer: true }),
  );

  return <div class="code-editor" classList={{ 'is-readonly': !!props.readOnly }} data-testid={props.testId} ref={host} />;
}
