import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** An admin page: its title, an optional "new" button and hint, and a table of what exists. */
export function AdminList(props: {
  title: string;
  newLabel?: string;
  onNew?: () => void;
  newTestId?: string;
  hint?: string;
  failed?: boolean;
  headers: string[];
  tableTestId?: string;
  children: ReactNode;
  after?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {props.title}
        </Title>
        {props.onNew && (
          <Button onClick={props.onNew} data-testid={props.newTestId}>
            {props.newLabel}
          </Button>
        )}
      </Group>
      {props.hint && (
        <Text size="sm" c="dimmed">
          {props.hint}
        </Text>
      )}
      {props.failed && <Alert color="red">{t('common.loadFailed')}</Alert>}
      <Paper withBorder>
        <Table highlightOnHover data-testid={props.tableTestId}>
          <Table.Thead>
            <Table.Tr>
              {props.headers.map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{props.children}</Table.Tbody>
        </Table>
      </Paper>
      {props.after}
    </Stack>
  );
}

/** The foot of an editing form: what went wrong beyond the fields, then Cancel and Save. */
export function FormActions({ error, onCancel, saving, saveTestId }: { error?: string | null; onCancel: () => void; saving: boolean; saveTestId?: string }) {
  const { t } = useTranslation();
  return (
    <>
      {error && <Alert color="red">{error}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={saving} data-testid={saveTestId}>
          {t('common.save')}
        </Button>
      </Group>
    </>
  );
}
