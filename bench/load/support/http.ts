import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  timeoutMs?: number;
  /** Default: a new connection for this call, so concurrent calls really are concurrent. */
  agent?: Agent;
}

/**
 * One request to the API under test. Rejects with the socket error (its `code`: ECONNREFUSED, ECONNRESET…) when
 * there is no answer.
 */
export function call(
  origin: string,
  { method, path, headers = {}, json, timeoutMs = 10_000, agent }: HttpCall,
) {
  const url = new URL(path, origin);
  const body = json === undefined ? undefined : JSON.stringify(json);
  const allHeaders: Record<string, string> = { ...headers };
  if (body !== undefined) {
    allHeaders['content-type'] = 'application/json';
    allHeaders['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        headers: allHeaders,
        agent: agent ?? false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The `error_code` of an error envelope, or undefined for any other body. */
export function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error_code?: unknown } | null;
    return typeof parsed?.error_code === 'string' ? parsed.error_code : undefined;
  } catch {
    return undefined;
  }
}

/** The code of a network error (ECONNREFUSED…), or its message. */
export function socketErrorOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
