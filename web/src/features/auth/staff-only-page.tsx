import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';

/** Customers have portal accounts; the agent workspace is not for them. */
export function StaffOnlyPage() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder p="xl" w={420} data-testid="staff-only">
        <Stack>
          <Title order={1} size="h3">
            {t('staffOnly.title')}
          </Title>
          <Text>{t('staffOnly.body')}</Text>
          <Button variant="light" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
