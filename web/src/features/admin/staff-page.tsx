import { Alert, Badge, Button, Group, Modal, MultiSelect, Paper, PasswordInput, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { availabilities, languages, staffRoleNames } from '../../../../common/enums';
import { api } from '../../app/api-client';
import { errorText } from '../../app/api-errors';
import { languageNames } from '../../app/language-select';
import { useStaff, useTeams } from '../../app/queries';
import { useMe } from '../../app/session';
import type { Staff } from '../../app/types';

type Draft = { name: string; email: string; password: string; role: string; tier: string | null; skills: string[]; availability: string; language: string; active: boolean; teamIds: string[] };

function StaffEditor({ staff, onClose }: { staff: Staff | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const teams = useTeams().data ?? [];
  const isNew = staff === 'new';
  const [d, setD] = useState<Draft>(
    isNew
      ? { name: '', email: '', password: '', role: 'agent', tier: '1', skills: [], availability: 'offline', language: 'en', active: true, teamIds: [] }
      : { name: staff.name, email: staff.email, password: '', role: staff.role, tier: staff.tier ? String(staff.tier) : null, skills: staff.skills, availability: staff.availability, language: staff.language, active: staff.active, teamIds: staff.teamIds },
  );
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });
  const save = useMutation({
    mutationFn: async () => {
      const tier = d.tier ? Number(d.tier) : null;
      if (isNew) {
        await api('POST', '/staff', { name: d.name, email: d.email, password: d.password, role: d.role, tier: tier ?? undefined, skills: d.skills, language: d.language, teamIds: d.teamIds });
        return;
      }
      await api('PATCH', `/staff/${staff.id}`, { name: d.name, role: d.role, tier, skills: d.skills, availability: d.availability, language: d.language, active: d.active, ...(d.password ? { password: d.password } : {}) });
      // Team membership is kept on the team: add or remove this person where it changed.
      for (const team of teams) {
        const was = team.members.some((m) => m.id === staff.id);
        const now = d.teamIds.includes(team.id);
        if (was === now) continue;
        const memberIds = now ? [...team.members.map((m) => m.id), staff.id] : team.members.map((m) => m.id).filter((x) => x !== staff.id);
        await api('PATCH', `/teams/${team.id}`, { memberIds });
      }
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['staff'] });
      void qc.invalidateQueries({ queryKey: ['teams'] });
      onClose();
    },
  });
  const roles = staffRoleNames.filter((r) => r !== 'admin' || me.role === 'admin');
  return (
    <Modal opened onClose={onClose} title={isNew ? t('staff.new') : t('staff.edit', { name: staff.name })} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), save.mutate())}>
        <Stack gap="sm">
          <Group grow>
            <TextInput label={t('staff.name')} required value={d.name} onChange={(e) => set({ name: e.currentTarget.value })} />
            <TextInput label={t('staff.email')} required type="email" disabled={!isNew} value={d.email} onChange={(e) => set({ email: e.currentTarget.value })} dir="ltr" />
          </Group>
          <PasswordInput label={isNew ? t('staff.password') : t('staff.newPassword')} required={isNew} minLength={10} value={d.password} onChange={(e) => set({ password: e.currentTarget.value })} />
          <Group grow>
            <Select label={t('staff.role')} data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={d.role} onChange={(v) => v && set({ role: v })} allowDeselect={false} />
            <Select label={t('staff.tier')} data={[{ value: '1', label: t('staff.tier1') }, { value: '2', label: t('staff.tier2') }]} value={d.tier} onChange={(v) => set({ tier: v })} clearable />
          </Group>
          <Group grow>
            <Select label={t('staff.availability')} disabled={isNew} data={availabilities.map((a) => ({ value: a, label: t(`availability.${a}`) }))} value={d.availability} onChange={(v) => v && set({ availability: v })} allowDeselect={false} />
            <Select label={t('language.label')} data={languages.map((l) => ({ value: l, label: languageNames[l] }))} value={d.language} onChange={(v) => v && set({ language: v })} allowDeselect={false} />
          </Group>
          <TagsInput label={t('staff.skills')} value={d.skills} onChange={(skills) => set({ skills })} />
          <MultiSelect label={t('staff.teams')} data={teams.map((tm) => ({ value: tm.id, label: tm.name }))} value={d.teamIds} onChange={(teamIds) => set({ teamIds })} />
          {!isNew && <Switch label={t('staff.active')} checked={d.active} onChange={(e) => set({ active: e.currentTarget.checked })} />}
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

const availabilityColor: Record<string, string> = { online: 'teal', away: 'yellow', offline: 'gray' };

export function StaffPage() {
  const { t } = useTranslation();
  const staff = useStaff().data ?? [];
  const teams = useTeams().data ?? [];
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  const teamName = (id: string) => teams.find((tm) => tm.id === id)?.name ?? '';
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('nav.staff')}
        </Title>
        <Button onClick={() => setEditing('new')}>{t('staff.new')}</Button>
      </Group>
      <Paper withBorder>
        <Table highlightOnHover data-testid="staff-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('staff.name')}</Table.Th>
              <Table.Th>{t('staff.role')}</Table.Th>
              <Table.Th>{t('staff.tier')}</Table.Th>
              <Table.Th>{t('staff.skills')}</Table.Th>
              <Table.Th>{t('staff.teams')}</Table.Th>
              <Table.Th>{t('staff.availability')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {staff.map((s) => (
              <Table.Tr key={s.id} style={{ cursor: 'pointer', opacity: s.active ? 1 : 0.5 }} onClick={() => setEditing(s)}>
                <Table.Td>
                  <Text size="sm" fw={500} dir="auto">
                    {s.name}
                  </Text>
                  <Text size="xs" c="dimmed" dir="ltr">
                    {s.email}
                  </Text>
                </Table.Td>
                <Table.Td>{t(`roles.${s.role}`)}</Table.Td>
                <Table.Td>{s.tier ? t(`staff.tier${s.tier}`) : ''}</Table.Td>
                <Table.Td>{s.skills.join(', ')}</Table.Td>
                <Table.Td>{s.teamIds.map(teamName).join(', ')}</Table.Td>
                <Table.Td>
                  <Badge color={availabilityColor[s.availability] ?? 'gray'} variant="light">
                    {t(`availability.${s.availability}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {editing && <StaffEditor staff={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
