import type { Me } from '@zegel/protocol/api';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { forgetAllPendingUploads } from '../features/files/pending-uploads.ts';
import { forgetKeys } from '../features/messages/key-store.ts';
import { ApiError, api } from './api-client.ts';

interface SessionState {
  /** undefined while loading; null when nobody is signed in. */
  me: Me | null | undefined;
  refreshMe: () => Promise<Me | null>;
  signOut: () => Promise<void>;
  /** Changes when the logo is replaced, so the header fetches it again despite caching. */
  logoVersion: number;
  bumpLogoVersion: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

/** Holds who is signed in (`GET /api/me`) for the whole app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [logoVersion, setLogoVersion] = useState(() => Date.now());
  const bumpLogoVersion = useCallback(() => setLogoVersion(Date.now()), []);

  const refreshMe = useCallback(async () => {
    try {
      const next = await api.get<Me>('/api/me');
      setMe(next);
      return next;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        setMe(null);
        return null;
      }
      throw error;
    }
  }, []);

  const signOut = useCallback(async () => {
    forgetKeys();
    await forgetAllPendingUploads();
    await api.post('/api/auth/sign-out');
    setMe(null);
  }, []);

  useEffect(() => {
    refreshMe().catch(() => setMe(null));
  }, [refreshMe]);

  const value = useMemo(
    () => ({ me, refreshMe, signOut, logoVersion, bumpLogoVersion }),
    [me, refreshMe, signOut, logoVersion, bumpLogoVersion],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
