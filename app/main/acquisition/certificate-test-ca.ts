/**
 * For tests: a site PKI made with openssl (an independent tool, not node-opcua): a root CA, an
 * intermediate CA it signed, server certificates the intermediate signed, CRLs, and CAs out of
 * their dates. Files in `dir`; CRLs in DER.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n';
const LEAF_EXT = (uri: string) => 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment\n'
  + `extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=URI:${uri},DNS:localhost,IP:127.0.0.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n`;

export interface TestCa {
  dir: string;
  /** `<dir>/<name>.pem` and `<dir>/<name>.key` */
  file(name: string): string;
  /** A self-signed root CA. */
  root(name: string, cn: string, dates?: Dates): void;
  /** A CA or server certificate signed by `by` (a CA made before); `uri` makes a server certificate for 127.0.0.1. */
  issue(name: string, cn: string, by: string, opts?: { uri?: string; dates?: Dates }): void;
  /** `by` revokes `name`. */
  revoke(name: string, by: string): void;
  /** `by`'s CRL as it stands, written to `<dir>/<out>` (DER). */
  crl(by: string, out: string): string;
}

/** openssl dates, YYYYMMDDHHMMSSZ. */
export interface Dates {
  start: string;
  end: string;
}

/**
 * The environment for openssl: this process's without OPENSSL_CONF. node-opcua-pki sets that variable
 * in the process that used it (to a file of its own, or to "undefined"), and tests share processes.
 */
export function opensslEnv(): NodeJS.ProcessEnv {
  const { OPENSSL_CONF: _, ...env } = process.env;
  return env;
}

export function makeTestCa(dir: string): TestCa {
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: opensslEnv() });
  const at = (f: string) => join(dir, f);
  const cnf = (by: string) => at(`${by}.ca/ca.cnf`);
  const setUp = (name: string) => {
    mkdirSync(at(`${name}.ca`), { recursive: true });
    writeFileSync(at(`${name}.ca/index.txt`), '');
    writeFileSync(at(`${name}.ca/index.txt.attr`), 'unique_subject = no\n');
    writeFileSync(at(`${name}.ca/crlnumber`), '01\n');
    writeFileSync(cnf(name), `[ca]\ndefault_ca=c\n[c]\ndatabase=${at(`${name}.ca/index.txt`)}\ncrlnumber=${at(`${name}.ca/crlnumber`)}\n`
      + `new_certs_dir=${at(`${name}.ca`)}\nrand_serial=yes\ndefault_md=sha256\ndefault_crl_days=30\ndefault_days=365\npolicy=p\n[p]\ncommonName=supplied\n`);
  };
  const sign = (name: string, by: string, ext: string, dates: Dates | undefined, self: boolean) => {
    writeFileSync(at(`${name}.ext`), ext);
    const period = dates ? ['-startdate', dates.start, '-enddate', dates.end] : ['-days', '365'];
    ossl('ca', '-batch', '-notext', '-config', cnf(by), '-in', at(`${name}.csr`), '-out', at(`${name}.pem`), '-extfile', at(`${name}.ext`),
      '-keyfile', at(`${by}.key`), ...(self ? ['-selfsign'] : ['-cert', at(`${by}.pem`)]), ...period);
  };
  const request = (name: string, cn: string) => ossl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${cn}`);
  return {
    dir,
    file: (name) => at(`${name}.pem`),
    root(name, cn, dates) {
      setUp(name);
      request(name, cn);
      sign(name, name, CA_EXT.replace('authorityKeyIdentifier=keyid,issuer\n', ''), dates, true);
    },
    issue(name, cn, by, opts = {}) {
      if (!opts.uri) setUp(name);
      request(name, cn);
      sign(name, by, opts.uri ? LEAF_EXT(opts.uri) : CA_EXT, opts.dates, false);
    },
    revoke(name, by) {
      ossl('ca', '-config', cnf(by), '-revoke', at(`${name}.pem`), '-keyfile', at(`${by}.key`), '-cert', at(`${by}.pem`));
    },
    crl(by, out) {
      ossl('ca', '-config', cnf(by), '-gencrl', '-keyfile', at(`${by}.key`), '-cert', at(`${by}.pem`), '-out', at(`${out}.pem`));
      ossl('crl', '-in', at(`${out}.pem`), '-outform', 'DER', '-out', at(out));
      return at(out);
    },
  };
}
