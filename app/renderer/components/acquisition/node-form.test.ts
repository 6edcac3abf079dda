import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../../shared/i18n/index.js';
import { nodeValueText, tagNameProblem } from './node-form.js';

const words = (locale: 'en' | 'ru' | 'zh') => {
  const tr = new Translator(locale);
  return tr.t.bind(tr);
};

const num = (v: number) => `n${v}`;

describe('a node\'s live value in the browse detail', () => {
  // CurrentTime as the server sends it (Server/ServerStatus/CurrentTime, DataType UtcTime, built-in DateTime).
  const currentTime = { value: '2026-12-06T09:41:03.578Z', builtIn: 'DateTime' };

  it('a DateTime reads as the console writes times in its language (as Source time beside it), not as ISO text', () => {
    // The forms the console's date line uses (shared/i18n/format.ts), at UTC.
    expect(nodeValueText(currentTime, new Formats('en', 'UTC'), num, words('en'))).toBe('2026-12-06 09:41:03');
    expect(nodeValueText(currentTime, new Formats('ru', 'UTC'), num, words('ru'))).toBe('06.12.2026, 09:41:03');
    expect(nodeValueText(currentTime, new Formats('zh', 'UTC'), num, words('zh'))).toBe('2026/12/06 09:41:03');
    // In the console's zone: Moscow is UTC+3 all year.
    expect(nodeValueText(currentTime, new Formats('ru', 'Europe/Moscow'), num, words('ru'))).toBe('06.12.2026, 12:41:03');
  });

  it('text, even text that looks like a time, stays as the server gave it; numbers go to the number format; none is a dash', () => {
    const en = new Formats('en', 'UTC');
    const t = words('en');
    expect(nodeValueText({ value: '2026-12-06T09:41:03Z', builtIn: 'String' }, en, num, t)).toBe('2026-12-06T09:41:03Z');
    expect(nodeValueText({ value: 'not a time', builtIn: 'DateTime' }, en, num, t)).toBe('not a time');
    expect(nodeValueText({ value: 12.5, builtIn: 'Double' }, en, num, t)).toBe('n12.5');
    expect(nodeValueText({ value: true, builtIn: 'Boolean' }, en, num, t)).toBe('true');
    expect(nodeValueText({ value: null, builtIn: 'DateTime' }, en, num, t)).toBe('—');
  });
});

describe('the Add tag form\'s check of the tag name, in the console\'s language', () => {
  it('accepts what the station config accepts as a tag name', () => {
    for (const name of ['Area1.TK101.LevelCopy', 'a', 'T_1-2.x']) expect(tagNameProblem(name, words('en'))).toBeNull();
  });

  it('an empty name asks for one and says which characters it may have', () => {
    expect(tagNameProblem('', words('en'))).toBe('Give a tag name: Latin letters, digits and . _ -, starting with a letter.');
    expect(tagNameProblem('', words('ru'))).toBe('Укажите имя тега: латинские буквы, цифры и . _ -, первой — буква.');
    expect(tagNameProblem('', words('zh'))).toBe('请填写位号名：拉丁字母、数字及 . _ -，以字母开头。');
  });

  it('a name with other characters is named back, with the field and the characters allowed', () => {
    for (const bad of ['1Level', 'Level copy', 'Уровень', '位号', '_x', 'a/b']) {
      expect(tagNameProblem(bad, words('en'))).toBe(`Tag name “${bad}” cannot be used: only Latin letters, digits and . _ -, starting with a letter, without spaces.`);
    }
    expect(tagNameProblem('Уровень 1', words('ru'))).toBe('Имя тега «Уровень 1» не подходит: только латинские буквы, цифры и . _ -, первой — буква, без пробелов.');
    expect(tagNameProblem('1号', words('zh'))).toBe('位号名“1号”不可用：只能包含拉丁字母、数字及 . _ -，以字母开头，不含空格。');
  });
});
