import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { decodeDueCursor, DUE_PAGE_SIZE, DUE_SQL_ENV, dueParameters, encodeDueCursor } from './due-query';

/**
 * The ceiling of this stack on this machine: node:http and pg answering the API's due-page request with the
 * API's own SELECT, and nothing else (no framework, auth, validation, transaction or logging). It runs as its
 * own process, like the API, with the same pool size. Started by the bench; env: DATABASE_URL, PORT, DB_POOL_SIZE
 * and the API's two due statements (DUE_SQL_ENV), as the bench captured them.
 */

const statements = {
  first: requiredEnv(DUE_SQL_ENV.first),
  later: requiredEnv(DUE_SQL_ENV.later),
};

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

type Row = Record<string, unknown>;

/** The page's last position, whatever the API's statement names its columns (id or o_id, nextActionAt or …). */
function positionOf(row: Row): { at: string; id: string } {
  const key = (pattern: RegExp) => Object.keys(row).find((name) => pattern.test(name)) ?? '';
  const at = row[key(/^(o_)?next_?action_?at$/i)];
  return { at: at instanceof Date ? at.toISOString() : String(at), id: String(row[key(/^(o_)?id$/)]) };
}

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE ?? 10),
});
// An idle client whose backend dies emits 'error'; unhandled, it would crash the process mid-run.
pool.on('error', (error) => console.error(`baseline pool: ${error.message}`));

/** Each tenant's time zone, read once: the API reads it per request with the membership, the ceiling need not. */
const timezones = new Map<string, string>();

async function answerDue(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const tenantId = String(request.headers['x-tenant-id'] ?? '');
  const timezone = timezones.get(tenantId);
  if (!timezone) return send(response, 404, { detail: `unknown tenant ${tenantId}` });
  const cursorText = url.searchParams.get('cursor');
  const cursor = cursorText ? decodeDueCursor(cursorText) : undefined;
  const sql = cursor ? statements.later : statements.first;
  const parameters = dueParameters(sql, { tenantId, now: new Date(), timezone, cursor });
  const { rows } = await pool.query<Row>(sql, parameters);
  const items = rows.slice(0, DUE_PAGE_SIZE);
  if (rows.length > DUE_PAGE_SIZE) {
    url.searchParams.set('cursor', encodeDueCursor(positionOf(items[items.length - 1])));
    response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  send(response, 200, items);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://baseline');
  // The bench's no-database run asks for /health/live, as of the API.
  if (url.pathname === '/health/ready' || url.pathname === '/health/live') {
    return send(response, 200, { status: 'ok' });
  }
  if (request.method !== 'GET' || url.pathname !== '/api/v1/opportunities/due') {
    return send(response, 404, { detail: 'not found' });
  }
  answerDue(url, request, response).catch((error: unknown) =>
    send(response, 500, { detail: error instanceof Error ? error.message : String(error) }),
  );
});

async function start(): Promise<void> {
  const { rows } = await pool.query<{ id: string; timezone: string }>('SELECT id, timezone FROM tenants');
  for (const row of rows) timezones.set(row.id, row.timezone);
  const port = Number(process.env.PORT ?? 8100);
  server.listen(port, '127.0.0.1', () => console.log(`baseline listening on http://127.0.0.1:${port}`));
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  });
}

start().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
