import { Kbd, Modal, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const shortcuts: [string[], string][] = [
  [['j'], 'shortcuts.next'],
  [['k'], 'shortcuts.previous'],
  [['Enter'], 'shortcuts.open'],
  [['r'], 'shortcuts.reply'],
  [['n'], 'shortcuts.note'],
  [['a'], 'shortcuts.assignMe'],
  [['s'], 'shortcuts.status'],
  [['Ctrl', 'Enter'], 'shortcuts.send'],
  [['/'], 'shortcuts.search'],
  [['u'], 'shortcuts.back'],
  [['?'], 'shortcuts.help'],
];

export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} data-testid="shortcut-help">
      <Table className="kbd-help">
        <Table.Tbody>
          {shortcuts.map(([keys, label]) => (
            <Table.Tr key={label}>
              <Table.Td>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{t(label)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
