/**
 * Browser-mode downloads of exports: GET /download/<token>. The token comes
 * from a permissioned, audited trends.export call and is good for one request
 * within its time to live; the export starts when the browser asks for it.
 * A failed or cancelled export cuts the response, so the browser marks the
 * download failed rather than saving a file that looks complete.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../../api/browser-server.js';
import { requestPath } from '../../api/request-path.js';
import type { ExportJob, StreamSink } from './service.js';

interface Offer {
  job: ExportJob;
  fileName: string;
  timer: ReturnType<typeof setTimeout>;
}

export class DownloadRoutes implements HttpRoute {
  static readonly prefix = '/download/';
  private readonly offers = new Map<string, Offer>();

  constructor(
    private readonly ttlMs: number,
    private readonly start: (job: ExportJob, sink: StreamSink) => void,
  ) {}

  offer(token: string, job: ExportJob, fileName: string): void {
    // Not fetched in time: the export is called off (the console is told).
    const timer = setTimeout(() => job.cancel(), this.ttlMs);
    timer.unref();
    this.offers.set(token, { job, fileName, timer });
  }

  withdraw(job: ExportJob): void {
    for (const [token, o] of this.offers) {
      if (o.job !== job) continue;
      clearTimeout(o.timer);
      this.offers.delete(token);
    }
  }

  clear(): void {
    for (const o of this.offers.values()) clearTimeout(o.timer);
    this.offers.clear();
  }

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    // Not a path (the server answers 400): never parsed with something that throws on what a peer sends.
    const path = requestPath(req.url);
    if (path === null || !path.startsWith(DownloadRoutes.prefix)) return false;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return true;
    }
    const token = path.slice(DownloadRoutes.prefix.length);
    const offer = this.offers.get(token);
    if (!offer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('this download link was used already or has expired\n');
      return true;
    }
    this.offers.delete(token);
    clearTimeout(offer.timer);
    const ascii = offer.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(offer.fileName)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    this.start(offer.job, responseSink(res));
    return true;
  }
}

function responseSink(res: ServerResponse): StreamSink {
  return {
    write: (bytes, written) => void res.write(bytes, () => written()),
    end: () => new Promise<void>((resolve) => res.end(() => resolve())),
    abort: async () => void res.destroy(new Error('export did not complete')),
    onClose: (listener) => void res.on('close', () => {
      if (!res.writableFinished) listener();
    }),
  };
}
