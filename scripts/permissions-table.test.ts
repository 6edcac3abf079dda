import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { permissionTable, readmeFile, readmeTable } from './permissions-table.js';
import { permissionMatrix, roles } from '../app/shared/permissions.js';

describe('the README permission table', () => {
  const table = readmeTable(readFileSync(readmeFile, 'utf8'));

  it('is the permission matrix (run `npx tsx scripts/permissions-table.ts --write` after changing it)', () => {
    expect(table).toBe(permissionTable());
  });

  it('reads back, cell by cell, as the matrix', () => {
    const rows = table!.split('\n').slice(2).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
    const read = Object.fromEntries(rows.map((cells) => [cells[0].replace(/`/g, ''), roles.filter((_r, i) => cells[2 + i] === '✓')]));
    const matrix = Object.fromEntries(Object.entries(permissionMatrix).map(([p, d]) => [p, roles.filter((r) => (d.roles as readonly string[]).includes(r))]));
    expect(read).toEqual(matrix);
  });
});
