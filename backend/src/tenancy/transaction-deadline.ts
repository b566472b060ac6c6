import type { QueryRunner } from 'typeorm';
import { DatabaseUnavailable } from '../common/errors/database-unavailable';

/** The parts of node-postgres under TypeORM's query runner that can drop a connection at once. */
interface PgConnectionHolder {
  databaseConnection?: { connection?: { stream?: { destroy(): void } } };
}

/**
 * A bound on how long a request may wait for the database, so that a database that goes silent (no answer, no
 * refusal) cannot hold requests for as long as the silence lasts. When it passes, the request answers 503
 * DATABASE_UNAVAILABLE; a transaction already running has its connection dropped (PostgreSQL rolls it back, the
 * pool replaces the connection); one that has not started yet never starts.
 */
export class TransactionDeadline {
  private expired = false;
  private runner?: QueryRunner;
  private readonly timer: NodeJS.Timeout;
  /** Rejects with DatabaseUnavailable when the deadline passes; never resolves. */
  readonly passed: Promise<never>;

  constructor(milliseconds: number) {
    let reject!: (error: Error) => void;
    this.passed = new Promise<never>((_resolve, fail) => (reject = fail));
    // Whoever races against it may have settled already: an unobserved rejection must not crash the process.
    this.passed.catch(() => undefined);
    this.timer = setTimeout(() => {
      this.expired = true;
      reject(new DatabaseUnavailable());
      (this.runner as PgConnectionHolder | undefined)?.databaseConnection?.connection?.stream?.destroy();
    }, milliseconds);
    this.timer.unref();
  }

  /** The transaction has its connection: the deadline may now drop it. Throws if the deadline has passed. */
  attach(runner: QueryRunner | undefined): void {
    if (this.expired) throw new DatabaseUnavailable();
    this.runner = runner;
  }

  /** Runs `work` against the deadline: its result, or DatabaseUnavailable once the deadline passes. */
  async race<T>(work: Promise<T>): Promise<T> {
    // When the deadline wins, `work` still settles later (its connection dropped): nobody waits for it.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, this.passed]);
    } finally {
      clearTimeout(this.timer);
    }
  }
}
