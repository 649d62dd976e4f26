import { DirectionProvider, Loader, MantineProvider, Center, createTheme, useDirection } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { directionOf, isLanguage } from '../i18n/i18n';
import { ChangePasswordPage } from '../features/auth/change-password-page';
import { LoginPage } from '../features/auth/login-page';
import { StaffOnlyPage } from '../features/auth/staff-only-page';
import { RealtimeProvider } from './realtime';
import { SessionProvider, useSession } from './session';
import { Shell } from './shell';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 15_000, refetchOnWindowFocus: true, retry: (n, err) => n < 2 && (err as { status?: number }).status === undefined },
  },
});

const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic", Tahoma, sans-serif',
});

/** Keeps Mantine's direction in step with the language (set on <html> by setLanguage). */
function DirectionSync() {
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  useEffect(() => {
    setDirection(directionOf(i18n.language));
    document.title = i18n.t('app.name');
  }, [i18n, i18n.language, setDirection]);
  return null;
}

function Gate() {
  const { me, loading } = useSession();
  const { i18n } = useTranslation();
  // The account's language is applied before the workspace shows, so it never flickers from another.
  const switching = !!me && isLanguage(me.language) && i18n.language !== me.language;
  if (loading || switching) {
    return (
      <Center h="100vh">
        <Loader aria-label="…" />
      </Center>
    );
  }
  if (!me) return <LoginPage />;
  if (me.role === 'customer') return <StaffOnlyPage />;
  if (me.mustChangePassword) return <ChangePasswordPage />;
  return (
    <RealtimeProvider>
      <Shell />
    </RealtimeProvider>
  );
}

export function App() {
  return (
    <DirectionProvider initialDirection={directionOf(document.documentElement.lang || 'en')} detectDirection={false}>
      <MantineProvider theme={theme}>
        <DirectionSync />
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <Gate />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
