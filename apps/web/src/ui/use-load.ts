import { useCallback, useEffect, useState } from 'react';
import { type ApiError, toApiError } from '../api/index.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  isLoading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads data for a screen once and on `reload()`; keeps the last data while reloading.
 * `load` must be stable (defined outside the component or memoised), or it loads on every render.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const reload = useCallback(async () => {
    setIsLoading(true);
    try {
      setData(await load());
      setError(null);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, isLoading, reload };
}
