import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, qs } from '../../app/api-client';
import { errorText } from '../../app/api-errors';
import type { Customer, Page } from '../../app/types';

/** Merges this (duplicate) customer into the one the agent picks; its tickets, emails and portal sign-in move over. */
export function MergeCustomerModal({ customer, opened, onClose }: { customer: Customer; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [target, setTarget] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ value: string; label: string } | null>(null);
  const candidates = useQuery({
    queryKey: ['customers', 'merge-candidates', q],
    queryFn: () => api<Page<Customer>>('GET', `/customers${qs({ q: q || undefined, limit: 20 })}`),
    enabled: opened,
  });
  const found = (candidates.data?.data ?? []).filter((c) => c.id !== customer.id).map((c) => ({ value: c.id, label: `${c.name}${c.emails[0] ? ` <${c.emails[0]}>` : ''}` }));
  // The chosen customer stays listed while the search text changes.
  const options = picked ? [picked, ...found.filter((o) => o.value !== picked.value)] : found;
  const merge = useMutation({
    mutationFn: () => api<Customer>('POST', `/customers/${customer.id}/merge`, { targetId: target }),
    onSuccess: (kept) => {
      void qc.invalidateQueries({ queryKey: ['customers'] });
      void qc.invalidateQueries({ queryKey: ['customer'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      onClose();
      navigate(`/customers/${kept.id}`);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.mergeTitle', { name: customer.name })}>
      <Stack>
        <Text size="sm">{t('customers.mergeHelp')}</Text>
        <Select
          label={t('customers.mergeInto')}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          data={options}
          value={target}
          onChange={(v, option) => {
            setTarget(v);
            setPicked(option ? { value: option.value, label: option.label } : null);
          }}
          nothingFoundMessage={t('common.nothing')}
          data-testid="merge-target"
        />
        {merge.error && <Alert color="red">{errorText(t, merge.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" disabled={!target} loading={merge.isPending} onClick={() => merge.mutate()} data-testid="merge-submit">
            {t('customers.merge')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
