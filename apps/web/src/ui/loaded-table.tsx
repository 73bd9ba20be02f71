import type { ReactNode } from 'react';
import { EmptyState, Loading } from './status.tsx';
import type { Loaded } from './use-load.ts';

/**
 * A list that is loaded from the API, shown as a table: a loading indicator until the first
 * answer, an empty state when there are no rows, otherwise the table with a caption for screen
 * readers and one header cell per column. `children` renders the rows (`<tr>` elements).
 */
export function LoadedTable<T>({
  load,
  empty,
  caption,
  headers,
  children,
}: {
  load: Pick<Loaded<T[]>, 'data' | 'isLoading'>;
  empty: string;
  caption: string;
  headers: string[];
  children: (rows: T[]) => ReactNode;
}) {
  if (load.data === undefined) return load.isLoading ? <Loading /> : null;
  if (load.data.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className="zegel-table-wrap">
      <table className="utrecht-table utrecht-table--html-table">
        <caption className="zegel-visually-hidden">{caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {headers.map((header) => (
              <th key={header} className="utrecht-table__header-cell" scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">{children(load.data)}</tbody>
      </table>
    </div>
  );
}
