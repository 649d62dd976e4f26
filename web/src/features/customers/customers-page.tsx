import { Anchor, Paper, Stack, Table, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, qs } from '../../app/api-client';
import { ListStatus, LoadMore, SearchBox } from '../../app/paged-list';
import type { Customer, Page } from '../../app/types';
import { languageNames } from '../../app/language-select';

export function CustomerTable({ organizationId }: { organizationId?: string }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
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
      <SearchBox label={t('customers.search')} onSearch={setSearch} />
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
        <ListStatus list={list} rows={rows.length} />
      </Paper>
      <LoadMore list={list} />
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
