import { Alert, Button, Group, Modal, MultiSelect, Paper, Select, Stack, Table, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { errorText } from '../../app/api-errors';
import { useStaff, useTeams } from '../../app/queries';
import type { Team } from '../../app/types';

function TeamEditor({ team, onClose }: { team: Team | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const staff = useStaff().data ?? [];
  const isNew = team === 'new';
  const [name, setName] = useState(isNew ? '' : team.name);
  const [description, setDescription] = useState(isNew ? '' : (team.description ?? ''));
  const [tier, setTier] = useState<string | null>(isNew ? null : team.tier ? String(team.tier) : null);
  const [timeZone, setTimeZone] = useState(isNew ? '' : (team.timeZone ?? ''));
  const [memberIds, setMemberIds] = useState<string[]>(isNew ? [] : team.members.map((m) => m.id));
  const save = useMutation({
    mutationFn: () => {
      const body = { name, description: description || undefined, tier: tier ? Number(tier) : undefined, timeZone: timeZone || undefined, memberIds };
      return isNew ? api('POST', '/teams', body) : api('PATCH', `/teams/${team.id}`, body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['teams'] });
      void qc.invalidateQueries({ queryKey: ['staff'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={isNew ? t('teams.new') : t('teams.edit', { name })} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), save.mutate())}>
        <Stack gap="sm">
          <TextInput label={t('teams.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea label={t('teams.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group grow>
            <Select label={t('staff.tier')} data={[{ value: '1', label: t('staff.tier1') }, { value: '2', label: t('staff.tier2') }]} value={tier} onChange={setTier} clearable />
            <TextInput label={t('teams.timeZone')} placeholder="Europe/Moscow" value={timeZone} onChange={(e) => setTimeZone(e.currentTarget.value)} dir="ltr" />
          </Group>
          <MultiSelect label={t('teams.members')} searchable data={staff.map((s) => ({ value: s.id, label: s.name }))} value={memberIds} onChange={setMemberIds} />
          {save.error && <Alert color="red">{errorText(t, save.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useTeams().data ?? [];
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('nav.teams')}
        </Title>
        <Button onClick={() => setEditing('new')}>{t('teams.new')}</Button>
      </Group>
      <Paper withBorder>
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('teams.name')}</Table.Th>
              <Table.Th>{t('staff.tier')}</Table.Th>
              <Table.Th>{t('teams.timeZone')}</Table.Th>
              <Table.Th>{t('teams.members')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {teams.map((tm) => (
              <Table.Tr key={tm.id} style={{ cursor: 'pointer' }} onClick={() => setEditing(tm)}>
                <Table.Td dir="auto">{tm.name}</Table.Td>
                <Table.Td>{tm.tier ? t(`staff.tier${tm.tier}`) : ''}</Table.Td>
                <Table.Td dir="ltr">{tm.timeZone ?? ''}</Table.Td>
                <Table.Td>{tm.members.map((m) => m.name).join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {editing && <TeamEditor team={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
