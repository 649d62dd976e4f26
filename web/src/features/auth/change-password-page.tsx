import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api-client';
import { useSession } from '../../app/session';

/** Shown instead of the workspace while the account must choose a new password (the first admin's printed one). */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { changePassword, signOut } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (next.length < 10) return setError(t('changePassword.errors.too_short'));
    if (next !== repeat) return setError(t('changePassword.errors.mismatch'));
    setBusy(true);
    try {
      await changePassword(current, next);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network';
      setError(t(`changePassword.errors.${code}`, { defaultValue: t('changePassword.errors.generic') }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" bg="gray.0" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} radius="md">
        <form onSubmit={submit} aria-labelledby="change-password-title" data-testid="change-password">
          <Stack>
            <Title order={1} size="h3" id="change-password-title">
              {t('changePassword.title')}
            </Title>
            <Text size="sm">{t('changePassword.intro')}</Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput label={t('changePassword.current')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
            <PasswordInput label={t('changePassword.new')} description={t('changePassword.rule')} autoComplete="new-password" required value={next} onChange={(e) => setNext(e.currentTarget.value)} />
            <PasswordInput label={t('changePassword.repeat')} autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} />
            <Group justify="space-between">
              <Button variant="subtle" onClick={() => void signOut()}>
                {t('nav.signOut')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('changePassword.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
