import { Anchor, Button, Center, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, qs } from '../../app/api-client';
import type { Customer, Page } from '../../app/types';
import { languageNames } from '../../app/language-select';

export function CustomerTable({ organizationId }: { organizationId?: string }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState<string | undefined>();
  const list = useInfiniteQuery({
    queryKey: ['customers', search, organizationId],
    queryFn: ({ pageParam }) => api<Page<Customer>>('GET', `/customers${qs({ q: search, organizationId, limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim() || undefined);
        }}
      >
        <TextInput w={320} label={t('customers.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} leftSection={<IconSearch size={14} />} />
      </form>
      <Paper withBorder>
        <Table highlightOnHover data-testid="customer-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('customer.name')}</Table.Th>
              <Table.Th>{t('customer.email')}</Table.Th>
              <Table.Th>{t('customer.organization')}</Table.Th>
              <Table.Th>{t('customer.language')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/customers/${c.id}`)}>
                <Table.Td>
                  <Anchor href={`/customers/${c.id}`} onClick={(e) => e.preventDefault()} dir="auto">
                    {c.name}
                  </Anchor>
                </Table.Td>
                <Table.Td dir="ltr">{c.emails[0] ?? ''}</Table.Td>
                <Table.Td dir="auto">{c.organization?.name ?? ''}</Table.Td>
                <Table.Td>{languageNames[c.language] ?? c.language}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {list.isLoading && (
          <Center p="md">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        )}
        {!list.isLoading && rows.length === 0 && (
          <Text p="md" c="dimmed" ta="center">
            {t('common.nothing')}
          </Text>
        )}
      </Paper>
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function CustomersPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('nav.customers')}
      </Title>
      <CustomerTable />
    </Stack>
  );
}
