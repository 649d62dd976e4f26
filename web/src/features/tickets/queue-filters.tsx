import { ActionIcon, Button, Group, MultiSelect, Popover, Select, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconDeviceFloppy, IconSearch, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ticketChannels, ticketPriorities, ticketStatuses } from '../../../../common/enums';
import { useStaff, useTeams } from '../../app/queries';

export type Filters = {
  q?: string;
  status?: string[];
  priority?: string[];
  channel?: string[];
  teamId?: string;
  assigneeId?: string;
  tag?: string;
  sort?: string;
};

export const filterKeys = ['q', 'status', 'priority', 'channel', 'teamId', 'assigneeId', 'tag', 'sort'] as const;
const listKeys = new Set(['status', 'priority', 'channel']);

export function readFilters(search: string): Filters {
  const sp = new URLSearchParams(search);
  const f: Record<string, string | string[]> = {};
  for (const k of filterKeys) {
    const v = sp.get(k);
    if (!v) continue;
    f[k] = listKeys.has(k) ? v.split(',').filter(Boolean) : v;
  }
  return f as Filters;
}

export function writeFilters(f: Filters): string {
  const sp = new URLSearchParams();
  for (const k of filterKeys) {
    const v = f[k];
    if (Array.isArray(v) ? v.length : v) sp.set(k, Array.isArray(v) ? v.join(',') : (v as string));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

const sorts = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-priority', 'priority', '-number', 'number', 'slaDueAt', '-slaDueAt'];
const sortLabel = (s: string) => (s === 'slaDueAt' ? 'sla.sortDueFirst' : s === '-slaDueAt' ? 'sla.sortDueLast' : `sort.${s.replace('-', 'desc_')}`);

export function QueueFilters({
  value,
  onChange,
  onSave,
  defaultSort = '-updatedAt',
}: {
  value: Filters;
  onChange: (f: Filters) => void;
  onSave: (name: string) => void;
  /** The view's own order when the user has not picked one. */
  defaultSort?: string;
}) {
  const { t } = useTranslation();
  const teams = useTeams().data ?? [];
  const staff = useStaff().data ?? [];
  const [q, setQ] = useState(value.q ?? '');
  const [saveName, setSaveName] = useState('');
  const [saveOpen, setSaveOpen] = useState(false);
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });

  return (
    <Stack gap="xs" data-testid="queue-filters">
      <Group gap="xs" align="end" wrap="wrap">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            set({ q: q.trim() || undefined });
          }}
        >
          <TextInput
            size="xs"
            w={220}
            label={t('filters.search')}
            placeholder={t('search.placeholder')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            leftSection={<IconSearch size={14} />}
            data-testid="queue-search"
          />
        </form>
        <MultiSelect size="xs" w={170} label={t('filters.status')} data={ticketStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))} value={value.status ?? []} onChange={(v) => set({ status: v })} clearable />
        <MultiSelect size="xs" w={150} label={t('filters.priority')} data={ticketPriorities.map((s) => ({ value: s, label: t(`priority.${s}`) }))} value={value.priority ?? []} onChange={(v) => set({ priority: v })} clearable />
        <MultiSelect size="xs" w={150} label={t('filters.channel')} data={ticketChannels.map((s) => ({ value: s, label: t(`channel.${s}`) }))} value={value.channel ?? []} onChange={(v) => set({ channel: v })} clearable />
        <Select
          size="xs"
          w={150}
          label={t('filters.team')}
          data={[{ value: 'none', label: t('filters.noTeam') }, ...teams.map((tm) => ({ value: tm.id, label: tm.name }))]}
          value={value.teamId ?? null}
          onChange={(v) => set({ teamId: v ?? undefined })}
          clearable
        />
        <Select
          size="xs"
          w={160}
          label={t('filters.assignee')}
          searchable
          data={[{ value: 'me', label: t('filters.me') }, { value: 'none', label: t('filters.unassigned') }, ...staff.map((s) => ({ value: s.id, label: s.name }))]}
          value={value.assigneeId ?? null}
          onChange={(v) => set({ assigneeId: v ?? undefined })}
          clearable
        />
        <TextInput size="xs" w={110} label={t('filters.tag')} defaultValue={value.tag ?? ''} onBlur={(e) => set({ tag: e.currentTarget.value.trim() || undefined })} />
        <Select
          size="xs"
          w={170}
          label={t('filters.sort')}
          data={sorts.map((s) => ({ value: s, label: t(sortLabel(s)) }))}
          value={value.sort ?? defaultSort}
          data-testid="queue-sort"
          onChange={(v) => set({ sort: v ?? undefined })}
          allowDeselect={false}
        />
        <Tooltip label={t('filters.clear')}>
          <ActionIcon
            variant="subtle"
            aria-label={t('filters.clear')}
            onClick={() => {
              setQ('');
              onChange({});
            }}
          >
            <IconX size={16} />
          </ActionIcon>
        </Tooltip>
        <Popover opened={saveOpen} onChange={setSaveOpen} trapFocus position="bottom-end">
          <Popover.Target>
            <Button size="xs" variant="light" leftSection={<IconDeviceFloppy size={14} />} onClick={() => setSaveOpen((o) => !o)}>
              {t('views.save')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (!saveName.trim()) return;
                onSave(saveName.trim());
                setSaveName('');
                setSaveOpen(false);
              }}
            >
              <Group gap="xs" align="end">
                <TextInput size="xs" label={t('views.name')} value={saveName} onChange={(e) => setSaveName(e.currentTarget.value)} />
                <Button size="xs" type="submit">
                  {t('common.save')}
                </Button>
              </Group>
            </form>
          </Popover.Dropdown>
        </Popover>
      </Group>
    </Stack>
  );
}
