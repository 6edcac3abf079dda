/** The console-API handlers of the Audit page: a page of entries, and the CSV export. */
import type { Handlers } from '../api/dispatcher.js';
import { ApiFailure } from '../api/dispatcher.js';
import type { AuditTrail } from './audit/trail.js';
import { auditCsv } from './audit/csv.js';

/** Larger exports go through `npm run audit -- export`, which streams to a file. */
export const MAX_EXPORT_ROWS = 100_000;

export function auditHandlers(trail: AuditTrail, now: () => number): Partial<Handlers> {
  return {
    'audit.query': (params) => trail.query(params),

    'audit.export': (filter, ctx) => {
      const { total } = trail.query({ ...filter, limit: 1 });
      ctx.setAudit({ newValue: filter });
      if (total > MAX_EXPORT_ROWS) {
        throw new ApiFailure('bad_request', `${total} entries match: more than ${MAX_EXPORT_ROWS}; narrow the time range or use \`npm run audit -- export\``, {
          key: 'audit.export.tooMany',
          params: { count: total, max: MAX_EXPORT_ROWS },
        });
      }
      const { csv, rows } = auditCsv(trail.entries(filter));
      ctx.setAudit({ detail: `${total} entries` });
      const stamp = new Date(now()).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      return { fileName: `vigil-audit-${stamp}.csv`, csv, rows };
    },
  };
}
