import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Delivers chunks to one side of a connection; `null` stands for the end of the stream. */
type Deliver = (chunk: Buffer | null) => void;

/**
 * A loopback TCP proxy in front of the database, so a test can take the database away from the API and give it
 * back without touching the server itself (other people's databases live there too).
 */
export class TcpProxy {
  private server?: Server;
  private readonly open = new Set<Socket>();
  /** A statement whose answer the next connection that sends it never gets (see loseAnswerToNext). */
  private losingAnswerTo?: { marker: Buffer; lost: () => void };
  /** Connections forwarded since the start, to show that the API really went through the proxy. */
  connectionsForwarded = 0;
  /** Added to every chunk each way, as a database across a network would: requests then stay in flight longer. */
  latencyMs = 0;
  /** Until then (performance.now()), nothing passes either way: see stall(). */
  private stalledUntil = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private listenPort: number,
  ) {}

  /** Listens on a free loopback port (or `port`) and forwards every connection to `target`. */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, port);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  /**
   * The database goes away: every open connection is destroyed mid-stream and the port stops listening, so a
   * new connection is refused (ECONNREFUSED), as when the database host is down.
   */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    await closed;
  }

  /** The database is back on the same port. */
  async restore(): Promise<void> {
    if (this.server) return;
    await this.listen();
  }

  /**
   * For `ms`, the database neither answers nor refuses: connections stay open and new ones are accepted, but no
   * byte passes either way, as when a network path to it goes silent. Then everything held passes, in order.
   */
  stall(ms: number): void {
    this.stalledUntil = performance.now() + ms;
  }

  /**
   * The next connection that sends `statement` (e.g. `COMMIT`, as a simple query) gets it to the database, but
   * its answer is lost with the connection: the database did the work, the client cannot know. Settles once
   * that has happened.
   */
  loseAnswerToNext(statement: string): Promise<void> {
    return new Promise<void>((resolve) => {
      this.losingAnswerTo = { marker: Buffer.from(`${statement}\0`), lost: resolve };
    });
  }

  /** Stops listening and drops every connection, for the end of a suite. */
  close(): Promise<void> {
    return this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.forward(client));
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('the proxy has no TCP address'));
          return;
        }
        this.listenPort = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  private forward(client: Socket): void {
    this.connectionsForwarded++;
    const upstream = connect(this.target.port, this.target.host);
    const pair = [client, upstream];
    const destroyPair = () => pair.forEach((each) => each.destroy());
    for (const socket of pair) {
      this.open.add(socket);
      socket.setNoDelay(true);
      // One side failing takes the other with it, as a broken network path would; a side that closes cleanly
      // takes the other once what it sent last has been delivered.
      socket.on('error', destroyPair);
      socket.on('close', () => {
        this.open.delete(socket);
        setTimeout(destroyPair, this.latencyMs + 1);
      });
    }
    let answerLost: (() => void) | undefined;
    this.relay(client, (chunk) => {
      const losing = this.losingAnswerTo;
      if (chunk && losing && chunk.includes(losing.marker)) {
        this.losingAnswerTo = undefined;
        answerLost = losing.lost;
      }
      write(upstream, chunk);
    });
    this.relay(upstream, (chunk) => {
      if (!answerLost) return write(client, chunk);
      destroyPair();
      answerLost();
    });
  }

  /** Hands each chunk of `from` to `deliver` in order, `latencyMs` late. */
  private relay(from: Socket, deliver: Deliver): void {
    const queue: { at: number; chunk: Buffer | null }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const now = performance.now();
      while (queue.length > 0 && queue[0].at <= now) deliver(queue.splice(0, 1)[0].chunk);
      if (queue.length > 0) timer = setTimeout(flush, queue[0].at - now);
    };
    const push = (chunk: Buffer | null) => {
      const now = performance.now();
      if (this.latencyMs <= 0 && queue.length === 0 && now >= this.stalledUntil) return deliver(chunk);
      const at = Math.max(now + this.latencyMs, this.stalledUntil, queue.at(-1)?.at ?? 0);
      queue.push({ at, chunk });
      timer ??= setTimeout(flush, at - performance.now());
    };
    from.on('data', (chunk: Buffer) => push(chunk));
    from.on('end', () => push(null));
  }
}

function write(to: Socket, chunk: Buffer | null): void {
  if (to.destroyed) return;
  if (chunk === null) to.end();
  else to.write(chunk);
}
