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
