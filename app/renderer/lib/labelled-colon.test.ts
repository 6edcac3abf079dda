/**
 * A name and its value joined in code (an accessible name, a tooltip, a focus line's head) are joined
 * as the language joins them: a fullwidth colon in Chinese (GB/T 15834, as every zh catalog entry
 * writes it), never an ASCII one in the middle of Chinese words.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Translator, catalogOf } from '../../shared/i18n/index.js';

const root = new URL('..', import.meta.url).pathname; // app/renderer/

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Lines that join two texts with ": " in code: `${a}: ${b}` in a template, {a}: {b} in markup. */
const JOINED = /\}: \$\{|\}: \{[^\s}]|\)\}: [“"]/;
/** Developers' messages (errors, logs), in English whatever the console's language. */
const DEVELOPERS = /new Error\(|super\(|this\.fail\(|problems\.push\(/;

describe('a name and its value joined in code', () => {
  it('take the colon of the language: fullwidth in Chinese', () => {
    expect(new Translator('zh').t('common.labelled', { name: 'TK101 液位', value: '12.3 m' })).toBe('TK101 液位：12.3 m');
    expect(new Translator('ru').t('common.labelled', { name: 'Уровень', value: '12,3 m' })).toBe('Уровень: 12,3 m');
    expect(new Translator('en').t('common.labelled', { name: 'Level', value: '12.3 m' })).toBe('Level: 12.3 m');
  });

  it('go through the catalog (common.labelled), not an ASCII ": " written in the code', () => {
    const found: string[] = [];
    for (const file of sources(root)) {
      const rel = relative(root, file);
      // The Sync page is another part's; the audit cell's stored field names are data (ASCII ids).
      if (/^pages\/Sync/.test(rel) || rel === 'lib/audit-view.ts') continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (JOINED.test(line) && !DEVELOPERS.test(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('leave no ASCII colon in the zh catalog but in times (14:05, hh:mm, 时:分:秒, 1:30)', () => {
    const times = (text: string) => text.replace(/::[\w-]+/g, '').replace(/\d:\d|h+:m+(:s+)?|时:分:秒/g, '');
    const bad = Object.entries(catalogOf('zh')).filter(([, text]) => times(text ?? '').includes(':'));
    expect(bad.map(([key]) => key)).toEqual([]);
  });
});
