#!/usr/bin/env python3
"""Checks a Vigil trend export (CSV) with nothing but Python's standard library.

    python3 scripts/verify-trend-csv.py export.csv          # "OK: <rows> rows, sha256 <hex>" or why not (exit 1)
    python3 scripts/verify-trend-csv.py --json export.csv   # also the header block, column names and rows

The last line of an export is  # sha256,<hex>,rows,<n> : the SHA-256 of every
byte above that line (the UTF-8 BOM the file starts with too) and the number of data rows. A file cut short has no such
line; a changed file no longer matches it. The same check by hand:

    sed '$d' export.csv | sha256sum      # equals the hex in the last line
"""
import csv
import hashlib
import io
import json
import sys


def verify(path):
    data = open(path, 'rb').read()
    if not data.endswith(b'\r\n'):
        return {'ok': False, 'problem': 'the file does not end with a line break: it was cut short'}
    cut = data[:-2].rfind(b'\r\n') + 2  # where the last line starts
    last = next(csv.reader([data[cut:-2].decode('utf-8')]))
    if len(last) != 4 or last[0] != '# sha256' or last[2] != 'rows':
        return {'ok': False, 'problem': 'no hash line at the end: the export did not complete'}
    digest = hashlib.sha256(data[:cut]).hexdigest()
    # utf-8-sig: the export starts with a BOM (for Excel); it is hashed above but is not part of the first record.
    records = list(csv.reader(io.StringIO(data[:cut].decode('utf-8-sig'), newline='')))
    header = [r for r in records if r and r[0].startswith('#')]
    body = [r for r in records if not (r and r[0].startswith('#'))]
    columns, rows = (body[0], body[1:]) if body else ([], [])
    result = {'ok': digest == last[1] and len(rows) == int(last[3]), 'sha256': digest, 'stated': last[1],
              'rows': len(rows), 'statedRows': int(last[3]), 'header': header, 'columns': columns, 'data': rows}
    if digest != last[1]:
        result['problem'] = 'the SHA-256 of the content does not match the hash line: the file was changed'
    elif len(rows) != int(last[3]):
        result['problem'] = 'the number of rows does not match the hash line'
    return result


def main(argv):
    as_json = '--json' in argv
    paths = [a for a in argv if a != '--json']
    if len(paths) != 1:
        sys.stderr.write('usage: verify-trend-csv.py [--json] <export.csv>\n')
        return 2
    r = verify(paths[0])
    if as_json:
        json.dump(r, sys.stdout)
        sys.stdout.write('\n')
    elif r['ok']:
        print('OK: %d rows, sha256 %s' % (r['rows'], r['sha256']))
    else:
        print('NOT OK: %s' % r['problem'])
    return 0 if r['ok'] else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
