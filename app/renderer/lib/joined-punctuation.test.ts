/**
 * Texts joined in code with parentheses, commas, semicolons or a dash take the language's punctuation
 * from the catalog (common.aside, .phrases, .enumerated, .clauses, .dashed; lib/joined.ts): Chinese
 * writes （），、； and an unspaced —— (GB/T 15834), never "Olga Ivanova (olga)", "a, b" or "a — b"
 * in the middle of Chinese words.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { catalogOf } from '../../shared/i18n/translate.js';
import { dash, joined } from './joined.js';

const root = new URL('..', import.meta.url).pathname; // app/renderer/

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * ` (${x})` and `${a}, ${b}` in a template, {a} ({b}) in markup, and lists joined with ', ' or '; '.
 * `(${x})` right after a word (no space) is a unit or an id, not a sentence's aside.
 */
const JOINED = /\s\(\$\{|\}, \$\{|\} \(\{|\.join\(['"][,;] ['"]\)/;
/**
 * A spaced dash written in code: "a — b" in a template, {a} — {b} or </strong> — {b} in markup, ' — '
 * as a string or CSS content. Comments are left out (a line that starts as one).
 */
const DASHED = / — /;
const COMMENT = /^\s*(?:\/\/|\/?\*|<!--)/;
/** Developers' messages (errors, logs), in English whatever the console's language. */
const DEVELOPERS = /new Error\(|super\(|this\.fail\(|problems\.push\(|console\.\w+\(/;
/**
 * Not read as sentences: the audit cell's stored values as stored (audit-view, audit-detail's
 * AS_STORED), and the trend's limit labels (overlays.ts), given a list of pen names it does not word.
 */
const EXEMPT = new Set(['lib/audit-view.ts', 'lib/audit-detail.ts', 'lib/trends/overlays.ts']);

describe('parentheses, commas and semicolons joined in code', () => {
  it('are the language\'s: fullwidth （），、； in Chinese, ASCII in English and Russian', () => {
    const zh = new Translator('zh');
    const ru = new Translator('ru');
    const en = new Translator('en');
    expect(zh.t('common.aside', { first: '彼得罗夫', aside: 'petrov' })).toBe('彼得罗夫（petrov）');
    expect(ru.t('common.aside', { first: 'Петров', aside: 'petrov' })).toBe('Петров (petrov)');
    expect(en.t('common.aside', { first: '2026-12-07 03:00', aside: '5 min' })).toBe('2026-12-07 03:00 (5 min)');
    expect(joined(zh.t.bind(zh), 'common.enumerated', ['TK101 高', 'TK102 高', '…'])).toBe('TK101 高、TK102 高、…');
    expect(joined(en.t.bind(en), 'common.enumerated', ['TK101 HIGH', 'TK102 HIGH', '…'])).toBe('TK101 HIGH, TK102 HIGH, …');
    expect(joined(zh.t.bind(zh), 'common.phrases', ['petrov', '12-07 03:00'])).toBe('petrov，12-07 03:00');
    expect(joined(zh.t.bind(zh), 'common.clauses', ['服务器 A（opc.tcp://a）', '服务器 B（opc.tcp://b）'])).toBe('服务器 A（opc.tcp://a）；服务器 B（opc.tcp://b）');
    expect(joined(ru.t.bind(ru), 'common.clauses', ['a', null, 'b'])).toBe('a; b');
    // The dash: GB/T 15834-2011 §4.10 writes the Chinese 破折号 as two em dashes, taking their own width (no spaces).
    expect(joined(zh.t.bind(zh), 'common.dashed', ['链路中断', '屏幕上所有数值均已过时'])).toBe('链路中断——屏幕上所有数值均已过时');
    expect(joined(ru.t.bind(ru), 'common.dashed', ['Связь потеряна', 'значения устарели'])).toBe('Связь потеряна — значения устарели');
    expect(dash(zh.t.bind(zh))).toBe('——');
    expect(dash(en.t.bind(en))).toBe(' — ');
  });

  it('the Chinese catalog has no Western dash joining its words: —— unspaced, or a comma or colon', () => {
    const wrong = Object.entries(catalogOf('zh')).filter(([, text]) => {
      const s = text ?? '';
      // "—" alone is a cell's "none"; a single em dash elsewhere, or a spaced ——, is a Western join.
      return s !== '—' && (/(?<!—)—(?!—)/.test(s) || /\s——|——\s/.test(s));
    });
    expect(wrong.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('go through the catalog, not ASCII " (", ", ", "; " or " — " written in the code', () => {
    const found: string[] = [];
    for (const file of sources(root)) {
      const rel = relative(root, file);
      if (EXEMPT.has(rel)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if ((JOINED.test(line) || (DASHED.test(line) && !COMMENT.test(line))) && !DEVELOPERS.test(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
