import { Alert, Badge, Button, Group, Modal, NumberInput, Paper, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { useTeams } from '../../app/queries';
import type { Team } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { fieldErrors } from './field-errors';

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
          {other && <Alert color="red">{other}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="rule-save">
              {t('common.save')}
            </Button>
          </Group>
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
    <Stack>
      <Title order={2} size="h3">
        {t('adminSla.assignmentTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('adminSla.assignmentHint')}
      </Text>
      <Paper withBorder>
        <Table highlightOnHover data-testid="rule-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('adminSla.team')}</Table.Th>
              <Table.Th>{t('adminSla.autoAssign')}</Table.Th>
              <Table.Th>{t('adminSla.strategy')}</Table.Th>
              <Table.Th>{t('adminSla.cap')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
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
          </Table.Tbody>
        </Table>
      </Paper>
      {rules.some((r) => r.isError) && <Alert color="red">{t('common.loadFailed')}</Alert>}
      {editing && <RuleEditor team={editing.team} rule={editing.rule} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
