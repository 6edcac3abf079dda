/**
 * How the CLIs read a password: from the terminal without echo (asked
 * twice for a new one), or, when standard input is not a terminal, its first
 * line, so scripts and tests can create accounts. Never from an argument:
 * arguments end up in shell history and in `ps`.
 */
import { stdin, stderr } from 'node:process';
import type { Readable } from 'node:stream';

export class InputError extends Error {}

/** Reads one line from the terminal with echo off; Ctrl+C aborts. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let text = '';
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(text));
        if (ch === '\u0003') return done(() => reject(new InputError('cancelled')));
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The first line of standard input (a pipe or a file). */
async function firstLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
  }
  if (text === '') throw new InputError('no password on standard input (give it as the first line)');
  return text;
}

/** A new password: asked twice at a terminal; the first line of a pipe otherwise (`input`: tests pass their own). */
export async function readNewPassword(forWhom: string, input: Readable = stdin): Promise<string> {
  if (input !== stdin || !stdin.isTTY) return firstLine(input);
  const first = await readHidden(`New password for ${forWhom}: `);
  const again = await readHidden('Repeat it: ');
  if (first !== again) throw new InputError('the two passwords differ');
  return first;
}

/** The first `count` lines of standard input (a pipe or a file); fewer is an error naming the line missing. */
async function lines(input: Readable, names: readonly string[]): Promise<string[]> {
  let text = '';
  const got = (): string[] => text.split(/\r?\n/).slice(0, -1);
  for await (const chunk of input) {
    text += String(chunk);
    if (got().length >= names.length) break;
  }
  const found = got();
  // A last line without its newline still counts.
  if (found.length < names.length && text !== '' && !/\r?\n$/.test(text)) found.push(text.split(/\r?\n/).at(-1)!);
  if (found.length < names.length) {
    throw new InputError(`standard input: line ${found.length + 1}: expected ${names[found.length]} (line 1: the current password, line 2: the new one)`);
  }
  return found.slice(0, names.length);
}

/**
 * A user's own password change: the current password, then the new one (asked twice at a terminal, without
 * echo); from a pipe its first line is the current password and its second the new one.
 */
export async function readOwnPasswordChange(forWhom: string, input: Readable = stdin): Promise<{ current: string; next: string }> {
  if (input !== stdin || !stdin.isTTY) {
    const [current, next] = await lines(input, ['the current password', 'the new password']);
    return { current: current!, next: next! };
  }
  const current = await readHidden(`Current password of ${forWhom}: `);
  const next = await readHidden('New password: ');
  const again = await readHidden('Repeat it: ');
  if (next !== again) throw new InputError('the two new passwords differ');
  return { current, next };
}
