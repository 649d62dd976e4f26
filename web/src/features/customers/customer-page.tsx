import { Alert, Anchor, Button, Center, Grid, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { roleHas } from '../../../../common/permissions';
import { useMe } from '../../app/session';
import { MergeCustomerModal } from './merge-customer-modal';
import { TierField } from './tier-field';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, qs } from '../../app/api-client';
import type { CustomerContext, Page, Ticket } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { CustomerPanel } from '../tickets/customer-panel';
import { PriorityBadge, StatusBadge } from '../tickets/ticket-badges';

export function CustomerPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [, navigate] = useLocation();
  const [merging, setMerging] = useState(false);
  const mayMerge = roleHas(useMe().role, 'customers.merge');
  const context = useQuery({ queryKey: ['customer', id], queryFn: () => api<CustomerContext>('GET', `/customers/${id}/context`) });
  const tickets = useQuery({ queryKey: ['customer-tickets', id], queryFn: () => api<Page<Ticket>>('GET', `/tickets${qs({ requesterId: id, limit: 100 })}`) });
  if (context.isLoading) {
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (!context.data) return <Alert color="red">{t('common.loadFailed')}</Alert>;
  const c = context.data.customer;
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack>
          <Group justify="space-between">
            <Title order={2} size="h3" dir="auto">
              {c.name}
            </Title>
            {mayMerge && (
              <Button variant="light" color="red" size="xs" onClick={() => setMerging(true)} data-testid="merge-customer">
                {t('customers.merge')}
              </Button>
            )}
          </Group>
          {mayMerge && <MergeCustomerModal customer={c} opened={merging} onClose={() => setMerging(false)} />}
          <TierField path={`/customers/${c.id}`} tier={c.tier} queryKey={['customer', id]} />
          {c.notes && (
            <Text className="user-content" dir="auto">
              {c.notes}
            </Text>
          )}
          <Paper withBorder>
            <Table highlightOnHover aria-label={t('customer.tickets')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ticket.number')}</Table.Th>
                  <Table.Th>{t('ticket.subject')}</Table.Th>
                  <Table.Th>{t('ticket.priority')}</Table.Th>
                  <Table.Th>{t('ticket.status')}</Table.Th>
                  <Table.Th>{t('ticket.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(tickets.data?.data ?? []).map((tk) => (
                  <Table.Tr key={tk.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/tickets/${tk.id}`)}>
                    <Table.Td dir="ltr">#{fmt.ticketNumber(tk.number)}</Table.Td>
                    <Table.Td>
                      <Anchor href={`/tickets/${tk.id}`} onClick={(e) => e.preventDefault()} dir="auto">
                        {tk.subject}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <PriorityBadge priority={tk.priority} />
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={tk.status} />
                    </Table.Td>
                    <Table.Td>{fmt.relative(tk.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <CustomerPanel context={context.data} currentTicketId="" />
      </Grid.Col>
    </Grid>
  );
}
