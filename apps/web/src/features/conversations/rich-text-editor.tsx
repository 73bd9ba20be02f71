import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { sanitizeMessageHtml } from './sanitize.ts';
import './conversations.css';

/**
 * A small formatted-text editor: bold, italic, bulleted and numbered lists, links. A
 * `contenteditable` region with the textbox role and a toolbar of real buttons (keyboard:
 * Ctrl+B / Ctrl+I work natively). What it hands out is sanitised HTML.
 */
export function RichTextEditor({
  id,
  labelId,
  describedBy,
  onChange,
  resetKey,
}: {
  id: string;
  labelId: string;
  describedBy?: string | undefined;
  onChange: (html: string) => void;
  /** Changing this empties the editor (after a send). */
  resetKey?: number;
}) {
  const { t } = useTranslation();
  const editor = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (resetKey !== undefined && editor.current) editor.current.replaceChildren();
  }, [resetKey]);

  function emit() {
    onChange(sanitizeMessageHtml(editor.current?.innerHTML ?? ''));
  }

  function run(command: 'bold' | 'italic' | 'insertUnorderedList' | 'insertOrderedList' | 'createLink') {
    editor.current?.focus();
    if (command === 'createLink') {
      const address = window.prompt(t('messages.editor.linkPrompt'), 'https://');
      if (!address || !/^(https?:|mailto:)/i.test(address)) return;
      document.execCommand('createLink', false, address);
    } else {
      document.execCommand(command);
    }
    emit();
  }

  const tools = [
    ['bold', t('messages.editor.bold')],
    ['italic', t('messages.editor.italic')],
    ['insertUnorderedList', t('messages.editor.bulletList')],
    ['insertOrderedList', t('messages.editor.numberedList')],
    ['createLink', t('messages.editor.link')],
  ] as const;

  return (
    <div className="zegel-editor">
      <div
        className="zegel-editor__toolbar"
        role="toolbar"
        aria-label={t('messages.editor.toolbar')}
        aria-controls={id}
      >
        {tools.map(([command, label]) => (
          <button
            key={command}
            type="button"
            className={`utrecht-button utrecht-button--subtle zegel-editor__tool zegel-editor__tool--${command}`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => run(command)}
          >
            {label}
          </button>
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a formatted-text editor needs contenteditable, which a textarea cannot host. */}
      <div
        id={id}
        ref={editor}
        className="utrecht-textarea zegel-editor__area"
        contentEditable
        role="textbox"
        tabIndex={0}
        aria-multiline="true"
        aria-labelledby={labelId}
        aria-describedby={describedBy}
        onInput={emit}
        onBlur={emit}
        onPaste={(event) => {
          // Pasted HTML could carry anything; paste plain text and let the toolbar format it.
          event.preventDefault();
          document.execCommand('insertText', false, event.clipboardData.getData('text/plain'));
          emit();
        }}
        suppressContentEditableWarning
      />
    </div>
  );
}
