import { Alert, Button, Code, Group, Loader, Modal, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs } from '../../app/api-client';
import type { Page } from '../../app/types';
import { LoadMore } from '../../app/paged-list';
import { useFormat } from '../../i18n/format';

type Inbound = { id: string; source: string; status: string; size: number; subject: string | null; from: string | null; attempts: number; error: string | null; headersOnly: boolean; receivedAt: string };

/** The message exactly as it arrived, as text: what an admin needs to see why it failed. */
function RawMessage({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const raw = useQuery({
    queryKey: ['inbound-raw', id],
    queryFn: async () => {
      const res = await fetch(`/api/v1/email/inbound/${id}/raw`, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      return res.text();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('adminEmail.rawTitle')} size="xl">
      {raw.isLoading && <Loader size="sm" aria-label={t('common.loading')} />}
      {raw.isError && <Alert color="red">{t('common.loadFailed')}</Alert>}
      {raw.data !== undefined && (
        <ScrollArea.Autosize mah="70vh">
          <Code block dir="ltr" data-testid="inbound-raw">
            {raw.data}
          </Code>
        </ScrollArea.Autosize>
      )}
    </Modal>
  );
}

export function InboundFailuresPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  // A retried message leaves the list while it runs and comes back if it fails again: look again for a while.
  const [watchUntil, setWatchUntil] = useState(0);
  const q = useInfiniteQuery({
    queryKey: ['inbound-failed'],
    queryFn: ({ pageParam }) => api<Page<Inbound>>('GET', `/email/inbound${qs({ status: 'failed', limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: () => (Date.now() < watchUntil ? 2000 : false),
  });
  const [viewing, setViewing] = useState<string | null>(null);
  const retry = useMutation({
    mutationFn: (id: string) => api('POST', `/email/inbound/${id}/retry`),
    onSettled: () => {
      setWatchUntil(Date.now() + 30_000);
      void qc.invalidateQueries({ queryKey: ['inbound-failed'] });
    },
  });
  const items = q.data?.pages.flatMap((p) => p.data) ?? [];
  // Held mail (headers only) is refused while still over the limit, or when it cannot be found on the server.
  const retryCode = retry.error instanceof ApiError ? retry.error.code : null;
  const retryError = retryCode === 'inbound_too_large' ? t('adminEmail.stillTooLarge') : retryCode === 'inbound_not_fetchable' ? t('adminEmail.notFetchable') : t('adminEmail.retryFailed');
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('adminEmail.inboundFailures')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('adminEmail.inboundFailuresHint')}
      </Text>
      {(q.isError || retry.isError) && <Alert color="red">{q.isError ? t('common.loadFailed') : retryError}</Alert>}
      {q.isSuccess && items.length === 0 ? (
        <Text data-testid="inbound-failures-empty">{t('adminEmail.noFailures')}</Text>
      ) : (
        <Paper withBorder>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('adminEmail.received')}</Table.Th>
                <Table.Th>{t('adminEmail.from')}</Table.Th>
                <Table.Th>{t('adminEmail.subject')}</Table.Th>
                <Table.Th>{t('adminEmail.error')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id} data-testid="inbound-failure">
                  <Table.Td>{fmt.dateTime(i.receivedAt)}</Table.Td>
                  <Table.Td dir="ltr">{i.from ?? '—'}</Table.Td>
                  <Table.Td dir="auto">{i.subject ?? '—'}</Table.Td>
                  <Table.Td dir="ltr">
                    <Text size="xs" c="red.8" lineClamp={3}>
                      {i.error ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {/* Over the size limit: only its headers are here. Fetched by itself once the limit allows it; the button asks now. */}
                      {i.headersOnly && (
                        <Text size="xs" c="dimmed" data-testid="inbound-headers-only">
                          {t('adminEmail.headersOnly')}
                        </Text>
                      )}
                      <Button size="compact-sm" variant="light" loading={retry.isPending && retry.variables === i.id} onClick={() => retry.mutate(i.id)}>
                        {i.headersOnly ? t('adminEmail.fetchNow') : t('adminEmail.retry')}
                      </Button>
                      <Button size="compact-sm" variant="default" onClick={() => setViewing(i.id)}>
                        {t('adminEmail.viewRaw')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <LoadMore list={q} />
      {viewing && <RawMessage id={viewing} onClose={() => setViewing(null)} />}
    </Stack>
  );
}
