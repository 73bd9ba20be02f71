import { type DragEvent, useState } from 'react';

/**
 * Files by button or by dropping them on the zone: `description` explains the limits, `chooseLabel`
 * names the button. Dropping is a mouse shortcut; the file input is the keyboard and screen-reader
 * path. Chosen files are handed over and the input is cleared, so the same file can be chosen again.
 */
export function FileDropZone({
  id,
  description,
  chooseLabel,
  describedBy,
  onFiles,
}: {
  id: string;
  description: string;
  chooseLabel: string;
  /** Further ids for the input's `aria-describedby` (e.g. an error message). */
  describedBy?: string | undefined;
  onFiles: (files: File[]) => void;
}) {
  const [isOver, setIsOver] = useState(false);
  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setIsOver(false);
    onFiles([...event.dataTransfer.files]);
  }
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse shortcut; the file input below is the keyboard path.
    <div
      className={`zegel-dropzone${isOver ? ' zegel-dropzone--over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setIsOver(true);
      }}
      onDragLeave={() => setIsOver(false)}
      onDrop={onDrop}
    >
      <p className="utrecht-paragraph" id={`${id}-description`}>
        {description}
      </p>
      <label className="utrecht-form-label zegel-file-label" htmlFor={id}>
        {chooseLabel}
      </label>
      <input
        id={id}
        type="file"
        multiple
        className="zegel-file-input"
        aria-describedby={`${id}-description${describedBy ? ` ${describedBy}` : ''}`}
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
    </div>
  );
}
