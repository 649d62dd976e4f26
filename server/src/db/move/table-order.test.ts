import { describe, expect, it } from 'vitest';
import { orderTables } from './table-order.js';

const key = (table: string, references: string) => ({ name: `${table}_${references}_fk`, table, references });

describe('orderTables', () => {
  it('puts every table after the tables it references', () => {
    const { order, deferred } = orderTables(['messages', 'tickets', 'users', 'customers'], [key('messages', 'tickets'), key('tickets', 'customers'), key('tickets', 'users'), key('users', 'customers')]);
    expect(order).toEqual(['customers', 'users', 'tickets', 'messages']);
    expect(deferred).toEqual([]);
  });

  it('defers a key of a table on itself, and one key of a loop between tables', () => {
    const { order, deferred } = orderTables(['a', 'b', 'c', 'mail'], [key('mail', 'mail'), key('a', 'b'), key('b', 'a'), key('c', 'b')]);
    expect(order).toEqual(['mail', 'a', 'b', 'c']);
    expect(deferred.map((k) => k.name).sort()).toEqual(['a_b_fk', 'mail_mail_fk']);
  });
});
