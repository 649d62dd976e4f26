import { Alert, Anchor, Button, Center, Group, Loader, Modal, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, qs } from '../../app/api-client';
import { ListStatus, LoadMore, SearchBox } from '../../app/paged-list';
import { errorText } from '../../app/api-errors';
import type { Organization, Page } from '../../app/types';
import { CustomerTable } from './customers-page';
import { TierField } from './tier-field';

function NewOrganization({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [notes, setNotes] = useState('');
  const create = useMutation({
    mutationFn: () => api('POST', '/organizations', { name, domains: domains.split(/[\s,]+/).filter(Boolean), notes: notes || undefined }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['organizations'] });
      setName('');
      setDomains('');
      setNotes('');
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('organizations.new')}>
      <form onSubmit={(e) => (e.preventDefault(), create.mutate())}>
        <Stack>
          <TextInput label={t('organizations.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label={t('organizations.domains')} description={t('organizations.domainsHelp')} value={domains} onChange={(e) => setDomains(e.currentTarget.value)} dir="ltr" />
          <Textarea label={t('organizations.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          {create.error && <Alert color="red">{errorText(t, create.error)}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One organization, read by id: the list is paged, so it may not hold it. */
function OrganizationDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const one = useQuery({ queryKey: ['organizations', id], queryFn: () => api<Organization>('GET', `/organizations/${id}`) });
  if (one.isLoading) {
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  const org = one.data;
  if (!org) return <Alert color="red">{one.error ? errorText(t, one.error) : t('common.notFound')}</Alert>;
  return (
    <Stack>
      <Title order={2} size="h3" dir="auto">
        {org.name}
      </Title>
      {org.domains.length > 0 && <Text dir="ltr">{org.domains.join(', ')}</Text>}
      {org.notes && (
        <Text className="user-content" dir="auto">
          {org.notes}
        </Text>
      )}
      <TierField path={`/organizations/${org.id}`} tier={org.tier} queryKey={['organizations']} />
      <Title order={3} size="h5">
        {t('organizations.members')}
      </Title>
      <CustomerTable organizationId={org.id} />
    </Stack>
  );
}

export function OrganizationsPage({ id }: { id?: string }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState<string | undefined>();
  const list = useInfiniteQuery({
    queryKey: ['organizations', 'list', search],
    queryFn: ({ pageParam }) => api<Page<Organization>>('GET', `/organizations${qs({ q: search, limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !id,
  });
  if (id) return <OrganizationDetail id={id} />;
  const orgs = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('nav.organizations')}
        </Title>
        <Button onClick={() => setCreating(true)}>{t('organizations.new')}</Button>
      </Group>
      <SearchBox label={t('organizations.search')} onSearch={setSearch} />
      <Paper withBorder>
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('organizations.name')}</Table.Th>
              <Table.Th>{t('organizations.domains')}</Table.Th>
              <Table.Th>{t('tier.label')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {orgs.map((o) => (
              <Table.Tr key={o.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/organizations/${o.id}`)}>
                <Table.Td>
                  <Anchor href={`/organizations/${o.id}`} onClick={(e) => e.preventDefault()} dir="auto">
                    {o.name}
                  </Anchor>
                </Table.Td>
                <Table.Td dir="ltr">{o.domains.join(', ')}</Table.Td>
                <Table.Td dir="auto">{o.tier ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <ListStatus list={list} rows={orgs.length} />
      </Paper>
      <LoadMore list={list} />
      <NewOrganization opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
