import { ActionIcon, Badge, Button, Group, Modal, MultiSelect, NumberInput, Select, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ticketChannels, ticketPriorities } from '../../../../common/enums';
import { api } from '../../app/api-client';
import { useStaff, useTeams } from '../../app/queries';
import { useFormat } from '../../i18n/format';
import { formatDuration } from '../sla/sla-time';
import { errorUnder, fieldErrors } from './field-errors';
import { AdminList, FormActions } from './admin-layout';

export const slaMetrics = ['first_response', 'next_response', 'resolution', 'answer', 'callback', 'tier2'] as const;
type Target = { metric: string; seconds: number; businessHours: boolean };
type Conditions = { channels?: string[]; priorities?: string[]; organizationIds?: string[]; tiers?: string[]; categories?: string[]; teamIds?: string[]; tags?: string[] };
type BreachActions = { raisePriority?: boolean; reassignTeamId?: string | null; notifyUserIds?: string[] };
export type Policy = { id: string; name: string; position: number; active: boolean; conditions: Conditions; targets: Target[]; warnAt: number; breachActions: BreachActions };

const units = { minutes: 60, hours: 3600, days: 86400 } as const;
type Unit = keyof typeof units;
/** A target as the form edits it: an amount in the largest unit that divides it evenly. */
type TargetRow = { metric: string; amount: number | string; unit: Unit; businessHours: boolean };
const toRow = (t: Target): TargetRow => {
  const unit: Unit = t.seconds % 86400 === 0 ? 'days' : t.seconds % 3600 === 0 ? 'hours' : 'minutes';
  return { metric: t.metric, amount: t.seconds / units[unit], unit, businessHours: t.businessHours };
};
const editorFields = ['name', 'position', 'active', 'conditions', 'targets', 'warnAt', 'breachActions'];

export const usePolicies = () => useQuery({ queryKey: ['sla-policies'], queryFn: async () => (await api<{ data: Policy[] }>('GET', '/sla/policies')).data });

function PolicyEditor({ policy, onClose }: { policy: Policy | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams().data ?? [];
  const staff = useStaff().data ?? [];
  const p = policy === 'new' ? null : policy;
  const [name, setName] = useState(p?.name ?? '');
  const [position, setPosition] = useState<number | string>(p?.position ?? 100);
  const [active, setActive] = useState(p?.active ?? true);
  const [conditions, setConditions] = useState<Conditions>(p?.conditions ?? {});
  const [targets, setTargets] = useState<TargetRow[]>(p ? p.targets.map(toRow) : [{ metric: 'first_response', amount: 4, unit: 'hours', businessHours: true }]);
  const [warnPercent, setWarnPercent] = useState<number | string>(Math.round((p?.warnAt ?? 0.75) * 100));
  const [actions, setActions] = useState<BreachActions>(p?.breachActions ?? {});
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name,
        position: Number(position),
        active,
        conditions,
        // Amounts are sent as they are; the API refuses what is not a whole positive number of seconds.
        targets: targets.map((r) => ({ metric: r.metric, seconds: Math.round(Number(r.amount) * units[r.unit]), businessHours: r.businessHours })),
        warnAt: Number(warnPercent) / 100,
        breachActions: actions,
      };
      return p ? api('PATCH', `/sla/policies/${p.id}`, body) : api('POST', '/sla/policies', body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['sla-policies'] });
      onClose();
    },
  });
  const { byField, other } = fieldErrors(t, save.error, (f) => editorFields.some((k) => f === k || f.startsWith(`${k}.`)));
  const setCond = (patch: Conditions) => setConditions({ ...conditions, ...patch });
  const setRow = (i: number, patch: Partial<TargetRow>) => setTargets(targets.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const teamOptions = teams.map((tm) => ({ value: tm.id, label: tm.name }));

  return (
    <Modal opened onClose={onClose} title={p ? t('adminSla.policyEdit', { name: p.name }) : t('adminSla.policyNew')} size="xl">
      <form onSubmit={(e) => (e.preventDefault(), save.mutate())} noValidate>
        <Stack gap="sm">
          <Group grow align="start">
            <TextInput label={t('adminSla.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={byField.name} data-testid="policy-name" />
            <NumberInput label={t('adminSla.position')} description={t('adminSla.positionHint')} value={position} onChange={setPosition} error={byField.position} allowDecimal={false} />
          </Group>
          <Switch label={t('adminSla.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />

          <Text size="sm" fw={600}>
            {t('adminSla.conditions')}
          </Text>
          <Text size="xs" c="dimmed" mt={-8}>
            {t('adminSla.conditionsHint')}
          </Text>
          <Group grow align="start">
            <MultiSelect label={t('adminSla.channels')} data={ticketChannels.map((c) => ({ value: c, label: t(`channel.${c}`) }))} value={conditions.channels ?? []} onChange={(v) => setCond({ channels: v })} error={errorUnder(byField, 'conditions.channels')} clearable />
            <MultiSelect label={t('adminSla.priorities')} data={ticketPriorities.map((c) => ({ value: c, label: t(`priority.${c}`) }))} value={conditions.priorities ?? []} onChange={(v) => setCond({ priorities: v })} error={errorUnder(byField, 'conditions.priorities')} clearable />
          </Group>
          <Group grow align="start">
            <MultiSelect label={t('adminSla.teams')} data={teamOptions} value={conditions.teamIds ?? []} onChange={(v) => setCond({ teamIds: v })} error={errorUnder(byField, 'conditions.teamIds')} clearable />
            <TagsInput label={t('adminSla.categories')} value={conditions.categories ?? []} onChange={(v) => setCond({ categories: v })} error={errorUnder(byField, 'conditions.categories')} />
            <TagsInput label={t('adminSla.tags')} value={conditions.tags ?? []} onChange={(v) => setCond({ tags: v })} error={errorUnder(byField, 'conditions.tags')} />
            <TagsInput label={t('tier.policyCondition')} value={conditions.tiers ?? []} onChange={(v) => setCond({ tiers: v })} error={errorUnder(byField, 'conditions.tiers')} data-testid="policy-tiers" />
          </Group>

          <Text size="sm" fw={600}>
            {t('adminSla.targets')}
          </Text>
          {targets.map((r, i) => (
            <Group key={i} gap="xs" align="start" wrap="nowrap" data-testid="policy-target-row" data-metric={r.metric}>
              <Select
                w={190}
                aria-label={t('adminSla.metric')}
                data={slaMetrics.map((m) => ({ value: m, label: t(`sla.metric.${m}`) }))}
                value={r.metric}
                onChange={(v) => v && setRow(i, { metric: v })}
                allowDeselect={false}
                error={byField[`targets.${i}.metric`]}
              />
              <NumberInput
                w={110}
                aria-label={t('adminSla.amount')}
                value={r.amount}
                onChange={(v) => setRow(i, { amount: v })}
                error={byField[`targets.${i}.seconds`]}
                data-testid="policy-target-amount"
              />
              <Select
                w={120}
                aria-label={t('adminSla.unit')}
                data={(Object.keys(units) as Unit[]).map((u) => ({ value: u, label: t(`adminSla.unit_${u}`) }))}
                value={r.unit}
                onChange={(v) => v && setRow(i, { unit: v as Unit })}
                allowDeselect={false}
                data-testid="policy-target-unit"
              />
              <Switch mt={8} label={t('sla.businessHours')} checked={r.businessHours} onChange={(e) => setRow(i, { businessHours: e.currentTarget.checked })} />
              <ActionIcon variant="subtle" color="red" mt={6} aria-label={t('adminSla.removeTarget')} onClick={() => setTargets(targets.filter((_, j) => j !== i))}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          {byField.targets && (
            <Text size="xs" c="red">
              {byField.targets}
            </Text>
          )}
          <Group>
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
              disabled={targets.length >= slaMetrics.length}
              onClick={() => setTargets([...targets, { metric: slaMetrics.find((m) => !targets.some((r) => r.metric === m)) ?? 'resolution', amount: 1, unit: 'days', businessHours: true }])}
            >
              {t('adminSla.addTarget')}
            </Button>
          </Group>

          <NumberInput
            w={220}
            label={t('adminSla.warnAt')}
            description={t('adminSla.warnAtHint')}
            suffix="%"
            value={warnPercent}
            onChange={setWarnPercent}
            error={byField.warnAt}
            data-testid="policy-warn-at"
          />

          <Text size="sm" fw={600}>
            {t('adminSla.breachActions')}
          </Text>
          <Switch label={t('adminSla.raisePriority')} checked={!!actions.raisePriority} onChange={(e) => setActions({ ...actions, raisePriority: e.currentTarget.checked })} />
          <Group grow align="start">
            <Select
              label={t('adminSla.reassignTeam')}
              data={teamOptions}
              value={actions.reassignTeamId ?? null}
              onChange={(v) => setActions({ ...actions, reassignTeamId: v })}
              error={errorUnder(byField, 'breachActions.reassignTeamId')}
              clearable
            />
            <MultiSelect
              label={t('adminSla.notify')}
              searchable
              data={staff.map((s) => ({ value: s.id, label: s.name }))}
              value={actions.notifyUserIds ?? []}
              onChange={(v) => setActions({ ...actions, notifyUserIds: v })}
              error={errorUnder(byField, 'breachActions.notifyUserIds')}
            />
          </Group>
          <FormActions error={other} onCancel={onClose} saving={save.isPending} saveTestId="policy-save" />
        </Stack>
      </form>
    </Modal>
  );
}

/** SLA policies in matching order: the first active one whose conditions all match a ticket sets its targets. */
export function SlaPoliciesPage() {
  const { t, i18n } = useTranslation();
  const { number } = useFormat();
  const policies = usePolicies();
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent' });
  const describeTargets = (p: Policy) => p.targets.map((x) => `${t(`sla.metric.${x.metric}`)} ${formatDuration(i18n.language, x.seconds)}`).join(', ');
  return (
    <AdminList
      title={t('adminSla.policiesTitle')}
      newLabel={t('adminSla.policyNew')}
      onNew={() => setEditing('new')}
      newTestId="policy-new"
      hint={t('adminSla.policiesHint')}
      failed={policies.isError}
      headers={[t('adminSla.position'), t('adminSla.name'), t('adminSla.targets'), t('adminSla.warnAt')]}
      tableTestId="policy-list"
      after={editing && <PolicyEditor policy={editing} onClose={() => setEditing(null)} />}
    >
      {(policies.data ?? []).map((p) => (
        <Table.Tr key={p.id} style={{ cursor: 'pointer' }} onClick={() => setEditing(p)} data-testid="policy-row" data-policy-name={p.name}>
          <Table.Td>{number(p.position)}</Table.Td>
          <Table.Td dir="auto">
            {p.name}{' '}
            {!p.active && (
              <Badge size="xs" color="gray" variant="light">
                {t('adminSla.inactive')}
              </Badge>
            )}
          </Table.Td>
          <Table.Td data-testid="policy-targets">
            <Text size="xs">{describeTargets(p)}</Text>
          </Table.Td>
          <Table.Td>{percent.format(p.warnAt)}</Table.Td>
        </Table.Tr>
      ))}
    </AdminList>
  );
}
