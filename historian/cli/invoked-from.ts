/**
 * `npm run historian -- ...` runs the CLI in the package's root whatever folder it was typed in
 * (npm's scripts always do; the folder is in INIT_CWD): `--out area1.csv`, `--data ./archive` and
 * the files to import would be taken from the root, an export written where the user never looks.
 * Relative paths are the user's: the CLI works in the folder npm was run from. Only for npm's own
 * `historian` script: a CLI started by another script (`npm test` spawning it in a temp folder)
 * inherits INIT_CWD and keeps the folder it was started in.
 */
export function workInInvokingFolder(env: NodeJS.ProcessEnv = process.env): void {
  const from = env.INIT_CWD;
  if (env.npm_lifecycle_event !== 'historian' || from === undefined || from === '' || from === process.cwd()) return;
  try {
    process.chdir(from);
  } catch (e) {
    process.stderr.write(`historian: cannot work in ${from}, the folder npm was run from (${(e as Error).message}): relative paths are taken from ${process.cwd()}\n`);
  }
}
