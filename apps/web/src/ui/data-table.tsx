import { type ReactNode, useId } from 'react';
import { EmptyState } from './status.tsx';

/** One column: its header text and how a row fills its cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** The cell that names its row (`<th scope="row">`), so screen readers announce it per cell. */
  isRowHeader?: boolean;
  className?: string;
}

/**
 * The one table of the app: a caption (visually hidden unless `isCaptionShown`), a header cell
 * with `scope="col"` per column, and an empty state instead of an empty table when `empty` is
 * given. The table scrolls sideways in a wrapper that keyboard users can focus and that is named
 * by the caption (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function DataTable<T>({
  caption,
  isCaptionShown = false,
  columns,
  rows,
  rowKey,
  rowAttributes,
  empty,
  className,
}: {
  caption: string;
  isCaptionShown?: boolean;
  columns: readonly (Column<T> | false | null | undefined)[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  /** `data-*` attributes per row, for tests and styling. */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
  empty?: string;
  className?: string;
}) {
  const captionId = useId();
  if (rows.length === 0 && empty !== undefined) return <EmptyState>{empty}</EmptyState>;
  const shown = columns.filter((column): column is Column<T> => Boolean(column));
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/useSemanticElements: a scrollable table must be reachable by keyboard (WCAG 2.1.1); a fieldset is for form controls, and a region landmark per table would crowd the landmark list.
    <div className="zegel-table-wrap" role="group" aria-labelledby={captionId} tabIndex={0}>
      <table className={`utrecht-table utrecht-table--html-table${className ? ` ${className}` : ''}`}>
        <caption
          id={captionId}
          className={isCaptionShown ? 'utrecht-table__caption' : 'zegel-visually-hidden'}
        >
          {caption}
        </caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {shown.map((column) => (
              <th key={column.header} className="utrecht-table__header-cell" scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} className="utrecht-table__row" {...rowAttributes?.(row)}>
              {shown.map((column) => (
                <DataCell key={column.header} column={column} row={row} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DataCell<T>({ column, row }: { column: Column<T>; row: T }) {
  const extra = column.className ? ` ${column.className}` : '';
  if (column.isRowHeader)
    return (
      <th className={`utrecht-table__header-cell${extra}`} scope="row">
        {column.cell(row)}
      </th>
    );
  return <td className={`utrecht-table__cell${extra}`}>{column.cell(row)}</td>;
}
