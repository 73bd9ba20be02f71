import { type Column, DataTable } from './data-table.tsx';
import { Loading } from './status.tsx';
import type { Loaded } from './use-load.ts';

/**
 * A list that is loaded from the API, shown as a data table: a loading indicator until the
 * first answer, an empty state when there are no rows, otherwise the table.
 */
export function LoadedTable<T>({
  load,
  empty,
  caption,
  columns,
  rowKey,
}: {
  load: Pick<Loaded<T[]>, 'data' | 'isLoading'>;
  empty: string;
  caption: string;
  columns: readonly (Column<T> | false | null | undefined)[];
  rowKey: (row: T) => string;
}) {
  if (load.data === undefined) return load.isLoading ? <Loading /> : null;
  return <DataTable caption={caption} columns={columns} rows={load.data} rowKey={rowKey} empty={empty} />;
}
