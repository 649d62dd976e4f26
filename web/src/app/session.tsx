import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, type ReactNode } from 'react';
import { isLanguage, setLanguage } from '../i18n/i18n';
import { api, ApiError, setCsrfToken, whenUnauthenticated } from './api-client';
import type { Me } from './types';

type Session = {
  me: Me | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  changeLanguage(lng: string): Promise<void>;
};

/** Another account's cached data must not survive a sign-in; the session query itself stays observed. */
function clearAllButMe(qc: QueryClient) {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const meQuery = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('GET', '/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
  const me = meQuery.data ?? null;

  useEffect(() => {
    setCsrfToken(me?.csrfToken);
    // The account's language wins over the device preference once signed in.
    if (me && isLanguage(me.language)) void setLanguage(me.language);
  }, [me]);

  useEffect(() => {
    whenUnauthenticated(() => {
      qc.setQueryData(['me'], null);
    });
  }, [qc]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const res = await api<{ csrfToken: string; user: Omit<Me, 'csrfToken'> }>('POST', '/auth/login', { email, password });
      setCsrfToken(res.csrfToken);
      clearAllButMe(qc);
      qc.setQueryData(['me'], { ...res.user, csrfToken: res.csrfToken });
    },
    [qc],
  );

  const signOut = useCallback(async () => {
    await api('POST', '/auth/logout').catch(() => undefined);
    setCsrfToken(undefined);
    clearAllButMe(qc);
    qc.setQueryData(['me'], null);
  }, [qc]);

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      await api('POST', '/auth/password', { currentPassword, newPassword });
      const current = qc.getQueryData<Me | null>(['me']);
      if (current) qc.setQueryData(['me'], { ...current, mustChangePassword: false });
    },
    [qc],
  );

  const changeLanguage = useCallback(
    async (lng: string) => {
      if (!isLanguage(lng)) return;
      if (me) qc.setQueryData(['me'], { ...me, language: lng });
      await setLanguage(lng);
      if (me) await api('PATCH', '/me', { language: lng });
    },
    [me, qc],
  );

  return (
    <SessionContext.Provider value={{ me, loading: meQuery.isLoading, signIn, signOut, changePassword, changeLanguage }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}
