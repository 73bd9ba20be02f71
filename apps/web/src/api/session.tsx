import type { Me } from '@zegel/protocol/api';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
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

/**
 * Holds who is signed in (`GET /api/me`) for the whole app. `onSignOut` runs before the server
 * ends the session, so the composition root can have features forget what this tab holds
 * (keys, pending uploads) without this shared piece knowing them.
 */
export function SessionProvider({
  onSignOut,
  children,
}: {
  onSignOut: () => Promise<void>;
  children: ReactNode;
}) {
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
    await onSignOut();
    await api.post('/api/auth/sign-out');
    setMe(null);
  }, [onSignOut]);

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
