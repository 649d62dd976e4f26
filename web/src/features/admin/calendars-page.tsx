import { ActionIcon, Badge, Button, Group, Modal, Select, Stack, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { useTeams } from '../../app/queries';
import { useFormat } from '../../i18n/format';
import { errorUnder, fieldErrors } from './field-errors';
import { AdminList, FormActions } from './admin-layout';

type Hours = { day: number; start: string; end: string };
export type Calendar = { id: string; name: string; teamId: string | null; isDefault: boolean; timeZone: string | null; hours: Hours[]; holidays: string[] };

const days = [1, 2, 3, 4, 5, 6, 0];
const editorFields = ['name', 'teamId', 'timeZone', 'hours', 'holidays'];

export const useCalendars = () => useQuery({ queryKey: ['sla-calendars'], queryFn: async () => (await api<{ data: Calendar[] }>('GET', '/sla/calendars')).data });

/** Weekday names in the reader's language (0 = Sunday), from a known Sunday. */
function useDayName() {
  const { i18n } = useTranslation();
  const f = new Intl.DateTimeFormat(i18n.language, { weekday: 'long', timeZone: 'UTC' });
  return (day: number) => f.format(new Date(Date.UTC(2026, 10, 22 + day)));
}

function CalendarEditor({ calendar, onClose }: { calendar: Calendar | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const dayName = useDayName();
  const teams = useTeams().data ?? [];
  const isNew = calendar === 'new';
  const [name, setName] = useState(isNew ? '' : calendar.name);
  const [teamId, setTeamId] = useState<string | null>(isNew ? null : calendar.teamId);
  const [timeZone, setTimeZone] = useState(isNew ? '' : (calendar.timeZone ?? ''));
  const [hours, setHours] = useState<Hours[]>(isNew ? [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })) : calendar.hours);
  const [holidays, setHolidays] = useState<string[]>(isNew ? [] : calendar.holidays);
  const save = useMutation({
    mutationFn: () => {
      const body = { name, timeZone: timeZone.trim() || null, hours, holidays };
      return isNew ? api('POST', '/sla/calendars', { ...body, teamId }) : api('PATCH', `/sla/calendars/${calendar.id}`, body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['sla-calendars'] });
      onClose();
    },
  });
  const { byField, other } = fieldErrors(t, save.error, (f) => editorFields.some((k) => f === k || f.startsWith(`${k}.`)));
  const setRow = (i: number, patch: Partial<Hours>) => setHours(hours.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  const title = isNew ? t('adminSla.calendarNew') : t('adminSla.calendarEdit', { name: calendar.name });

  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), save.mutate())} noValidate>
        <Stack gap="sm">
          <TextInput label={t('adminSla.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={byField.name} data-testid="calendar-name" />
          <Group grow align="start">
            {isNew ? (
              <Select
                label={t('adminSla.team')}
                required
                data={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
                value={teamId}
                onChange={setTeamId}
                error={byField.teamId}
                data-testid="calendar-team"
              />
            ) : (
              <TextInput label={t('adminSla.team')} value={calendar.isDefault ? t('adminSla.defaultCalendar') : (teams.find((tm) => tm.id === calendar.teamId)?.name ?? '')} readOnly />
            )}
            <TextInput
              label={t('adminSla.timeZone')}
              description={t('adminSla.timeZoneHint')}
              placeholder="Europe/Berlin"
              dir="ltr"
              value={timeZone}
              onChange={(e) => setTimeZone(e.currentTarget.value)}
              error={byField.timeZone}
              data-testid="calendar-time-zone"
            />
          </Group>
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t('adminSla.weeklyHours')}
            </Text>
            {hours.map((h, i) => (
              <Group key={i} gap="xs" align="start" wrap="nowrap" data-testid="calendar-hours-row">
                <Select
                  w={170}
                  aria-label={t('adminSla.day')}
                  data={days.map((d) => ({ value: String(d), label: dayName(d) }))}
                  value={String(h.day)}
                  onChange={(v) => v && setRow(i, { day: Number(v) })}
                  allowDeselect={false}
                  error={byField[`hours.${i}.day`]}
                />
                <TextInput w={90} placeholder="09:00" aria-label={t('adminSla.opens')} dir="ltr" value={h.start} onChange={(e) => setRow(i, { start: e.currentTarget.value })} error={byField[`hours.${i}.start`]} />
                <TextInput w={90} placeholder="09:00" aria-label={t('adminSla.closes')} dir="ltr" value={h.end} onChange={(e) => setRow(i, { end: e.currentTarget.value })} error={byField[`hours.${i}.end`]} />
                <ActionIcon variant="subtle" color="red" mt={6} aria-label={t('adminSla.removeHours')} onClick={() => setHours(hours.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {byField.hours && (
              <Text size="xs" c="red">
                {byField.hours}
              </Text>
            )}
            <Group>
              <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setHours([...hours, { day: 1, start: '09:00', end: '17:00' }])}>
                {t('adminSla.addHours')}
              </Button>
            </Group>
          </Stack>
          <TagsInput
            label={t('adminSla.holidays')}
            description={t('adminSla.holidaysHint')}
            placeholder="2026-12-25"
            dir="ltr"
            value={holidays}
            onChange={setHolidays}
            error={errorUnder(byField, 'holidays')}
            data-testid="calendar-holidays"
          />
          <FormActions error={other} onCancel={onClose} saving={save.isPending} saveTestId="calendar-save" />
        </Stack>
      </form>
    </Modal>
  );
}

/** Business calendars: the desk's default and each team's own opening hours and holidays. */
export function CalendarsPage() {
  const { t } = useTranslation();
  const dayName = useDayName();
  const { number, clock, list } = useFormat();
  const teams = useTeams().data ?? [];
  const calendars = useCalendars();
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null);
  const summary = (c: Calendar) =>
    list(
      [...c.hours]
        .sort((a, b) => days.indexOf(a.day) - days.indexOf(b.day))
        .map((h) => `${dayName(h.day)} ${clock(h.start)}–${clock(h.end)}`),
    );
  return (
    <AdminList
      title={t('adminSla.calendarsTitle')}
      newLabel={t('adminSla.calendarNew')}
      onNew={() => setEditing('new')}
      newTestId="calendar-new"
      failed={calendars.isError}
      headers={[t('adminSla.name'), t('adminSla.team'), t('adminSla.timeZone'), t('adminSla.weeklyHours'), t('adminSla.holidays')]}
      tableTestId="calendar-list"
      after={editing && <CalendarEditor calendar={editing} onClose={() => setEditing(null)} />}
    >
      {(calendars.data ?? []).map((c) => (
        <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => setEditing(c)} data-testid="calendar-row">
          <Table.Td dir="auto">
            {c.name} {c.isDefault && <Badge size="xs" variant="light">{t('adminSla.defaultCalendar')}</Badge>}
          </Table.Td>
          <Table.Td dir="auto">{teams.find((tm) => tm.id === c.teamId)?.name ?? ''}</Table.Td>
          <Table.Td dir="ltr">{c.timeZone ?? t('adminSla.teamTimeZone')}</Table.Td>
          <Table.Td>
            <Text size="xs">{summary(c)}</Text>
          </Table.Td>
          <Table.Td>{number(c.holidays.length)}</Table.Td>
        </Table.Tr>
      ))}
    </AdminList>
  );
}
