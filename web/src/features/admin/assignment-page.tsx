import { Badge, Modal, NumberInput, Select, Stack, Switch, Table } from '@mantine/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { useTeams } from '../../app/queries';
import type { Team } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { fieldErrors } from './field-errors';
import { AdminList, FormActions } from './admin-layout';

const strategies = ['round_robin', 'least_loaded', 'skills'] as const;
type Rule = { teamId: string; enabled: boolean; strategy: (typeof strategies)[number]; maxOpenPerAgent: number };
const ruleKey = (teamId: string) => ['assignment-rule', teamId];

function RuleEditor({ team, rule, onClose }: { team: Team; rule: Rule; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [enabled, setEnabled] = useState(rule.enabled);
  const [strategy, setStrategy] = useState<string>(rule.strategy);
  const [cap, setCap] = useState<number | string>(rule.maxOpenPerAgent);
  const save = useMutation({
    mutationFn: () => api<Rule>('PUT', `/teams/${team.id}/assignment-rule`, { enabled, strategy, maxOpenPerAgent: Number(cap) }),
    onSuccess: (saved) => {
      qc.setQueryData(ruleKey(team.id), saved);
      onClose();
    },
  });
  const { byField, other } = fieldErrors(t, save.error, (f) => ['enabled', 'strategy', 'maxOpenPerAgent'].includes(f));
  return (
    <Modal opened onClose={onClose} title={t('adminSla.ruleEdit', { name: team.name })}>
      <form onSubmit={(e) => (e.preventDefault(), save.mutate())} noValidate>
        <Stack gap="sm">
          <Switch label={t('adminSla.autoAssign')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} data-testid="rule-enabled" />
          <Select
            label={t('adminSla.strategy')}
            data={strategies.map((s) => ({ value: s, label: t(`adminSla.strategy_${s}`) }))}
            value={strategy}
            onChange={(v) => v && setStrategy(v)}
            allowDeselect={false}
            error={byField.strategy}
            description={t(`adminSla.strategyHint_${strategy}`)}
          />
          <NumberInput label={t('adminSla.cap')} description={t('adminSla.capHint')} value={cap} onChange={setCap} allowDecimal={false} error={byField.maxOpenPerAgent} data-testid="rule-cap" />
          <FormActions error={other} onCancel={onClose} saving={save.isPending} saveTestId="rule-save" />
        </Stack>
      </form>
    </Modal>
  );
}

/** Each team's auto-assignment: how waiting tickets are handed to online agents, and how many each may hold. */
export function AssignmentPage() {
  const { t } = useTranslation();
  const { number } = useFormat();
  const teams = useTeams().data ?? [];
  const rules = useQueries({ queries: teams.map((tm) => ({ queryKey: ruleKey(tm.id), queryFn: () => api<Rule>('GET', `/teams/${tm.id}/assignment-rule`) })) });
  const [editing, setEditing] = useState<{ team: Team; rule: Rule } | null>(null);
  return (
    <AdminList
      title={t('adminSla.assignmentTitle')}
      hint={t('adminSla.assignmentHint')}
      failed={rules.some((r) => r.isError)}
      headers={[t('adminSla.team'), t('adminSla.autoAssign'), t('adminSla.strategy'), t('adminSla.cap')]}
      tableTestId="rule-list"
      after={editing && <RuleEditor team={editing.team} rule={editing.rule} onClose={() => setEditing(null)} />}
    >
      {teams.map((tm, i) => {
        const rule = rules[i]?.data;
        return (
          <Table.Tr key={tm.id} style={{ cursor: rule ? 'pointer' : undefined }} onClick={() => rule && setEditing({ team: tm, rule })} data-testid="rule-row" data-team={tm.name}>
            <Table.Td dir="auto">{tm.name}</Table.Td>
            <Table.Td>
              {rule && (
                <Badge color={rule.enabled ? 'teal' : 'gray'} variant="light" tt="none">
                  {rule.enabled ? t('adminSla.on') : t('adminSla.off')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{rule ? t(`adminSla.strategy_${rule.strategy}`) : ''}</Table.Td>
            <Table.Td>{rule ? number(rule.maxOpenPerAgent) : ''}</Table.Td>
          </Table.Tr>
        );
      })}
    </AdminList>
  );
}
