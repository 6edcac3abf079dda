// pretest: the system packages the tests need (Debian). Installs them when
// running as root (CI, fresh machines); otherwise stops with the command to run.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const needed = [
  { pkg: 'chromium', file: '/usr/bin/chromium', why: 'browser (e2e) tests' },
  // A Chinese control room's PC has CJK fonts: without them the browser draws empty boxes with
  // Latin metrics, and the Chinese layout tests measure nothing like what operators see.
  { pkg: 'fonts-noto-cjk', file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', why: 'the Chinese layout in browser tests' },
  { pkg: 'influxdb', file: '/usr/bin/influxd', why: 'sync tests against a real InfluxDB 1.x' },
  { pkg: 'victoria-metrics', file: '/usr/bin/victoria-metrics', why: 'sync tests against a real VictoriaMetrics' },
  { pkg: 'openssl', file: '/usr/bin/openssl', why: 'certificate tests (a site CA made by a tool other than node-opcua)' },
];

const missing = needed.filter((n) => !existsSync(n.file));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((m) => m.pkg);
const command = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  process.stderr.write(
    `Missing system packages for ${missing.map((m) => `${m.pkg} (${m.why})`).join(', ')}.\nRun as root:\n  ${command}\n`,
  );
  process.exit(1);
}
process.stderr.write(`Installing ${pkgs.join(' ')} from Debian (${missing.map((m) => m.why).join(', ')})...\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
for (const m of missing) {
  if (!existsSync(m.file)) {
    process.stderr.write(`${m.pkg} installed but ${m.file} is still missing\n`);
    process.exit(1);
  }
}
