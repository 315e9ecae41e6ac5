import { csvLine, type Cell } from '../jobs/csv';

/** Rows a page at a time: the cursor of the next page, null after the last. */
export type CsvPager = (cursor: string | undefined) => Promise<{ rows: Cell[][]; nextCursor: string | null }>;

/** Formula-safe CSV, streamed a page at a time so a fleet-wide export never sits in memory whole. */
export function csvResponse(filename: string, header: readonly string[], pager: CsvPager): Response {
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(csvLine(header)));
      }
      const page = await pager(cursor);
      if (page.rows.length) controller.enqueue(enc.encode(page.rows.map(csvLine).join('')));
      if (page.nextCursor === null) controller.close();
      else cursor = page.nextCursor;
    },
  });
  return new Response(body, { headers: downloadHeaders(filename, 'text/csv; charset=utf-8') });
}

/** The headers of a file to save (not to cache), under a name made safe for the header. */
export const downloadHeaders = (filename: string, contentType: string) => ({
  'content-type': contentType,
  'content-disposition': `attachment; filename="${safeFilename(filename)}"`,
  'cache-control': 'no-store',
});

export const isoTime = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Rows per page of an export. */
export const EXPORT_PAGE = 500;

/** A download name without quotes or path characters (hostnames are agent text). */
const safeFilename = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');
