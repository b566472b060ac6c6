import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received: still compressed when the answer has a Content-Encoding. */
  body: Buffer;
  text(): string;
  json<T>(): T;
  /** A single-valued header, or '' when it is absent. */
  header(name: string): string;
}

export interface HttpOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: object;
  /**
   * The loopback address to connect from (127.0.0.0/8 all reach this machine): a stand-in for a distinct client,
   * so that a test can tell the client's address from the proxy's.
   */
  from?: string;
  timeoutMs?: number;
}

/**
 * One HTTP request with node:http rather than fetch: it can choose the client's source address, and it hands
 * back the body exactly as sent (fetch would decompress it, hiding whether nginx compressed anything).
 */
export function http(url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const { method = 'GET', headers = {}, body, from, timeoutMs = 15_000 } = options;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      url,
      {
        method,
        localAddress: from,
        timeout: timeoutMs,
        headers: {
          ...(payload
            ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) }
            : {}),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const received = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: received,
            text: () => received.toString('utf8'),
            json: <T>() => JSON.parse(received.toString('utf8')) as T,
            header: (name: string) => {
              const value = response.headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(', ') : (value ?? '');
            },
          });
        });
      },
    );
    call.on('timeout', () => call.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    call.on('error', reject);
    call.end(payload);
  });
}
