import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * NestJS's Express adapter, with an HTTP server that builds each request and response with Express's own
 * prototypes (`app.request`, `app.response`) from the start.
 *
 * Why: Express gives every request and response those prototypes as it receives them (`Object.setPrototypeOf`
 * in `app.handle`). Measured on a bare Express app answering 300 req/s, V8 then moves about 7 kB per request
 * (the request's loggers, closures, headers) into its old generation: the objects outlive young collections
 * and stay until the next full collection, whose pauses stall the requests behind them. With the prototypes
 * already in place, Express's call changes nothing (the README's Performance section has the figures).
 *
 * Everything else is NestJS's adapter. HTTPS and `forceCloseConnections` (neither of which NAT uses) keep
 * NestJS's own server, and so would a Node.js whose request and response constructors were classes (see
 * constructorWithPrototype).
 */
export class NatExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    const app = this.getInstance<Express>();
    const Request = constructorWithPrototype(IncomingMessage, app.request);
    const Response = constructorWithPrototype(ServerResponse, app.response);
    if (options?.httpsOptions || options?.forceCloseConnections || !Request || !Response) {
      super.initHttpServer(options);
      return;
    }
    this.httpServer = createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
  }
}

/**
 * A constructor for Node's HTTP server (which calls it with `new`) that builds a `Base` whose prototype is
 * `prototype`, a descendant of `Base.prototype`: `Base` runs on the new object as a plain function, the way
 * Node's own IncomingMessage calls Readable. So every instance starts from the one hidden class V8 keeps for
 * this constructor. (`Reflect.construct(Base, args, newTarget)` with a `newTarget` whose prototype was set by
 * hand gave each instance a hidden class of its own: ~6 kB of maps per request, allocated straight into
 * the old generation, and every function that touched a request saw a new shape.)
 *
 * Undefined when `Base` is a class, which cannot be called that way: the caller then keeps Node's constructor.
 */
export function constructorWithPrototype<C extends abstract new (...arguments_: never[]) => object>(
  Base: C,
  prototype: object,
): C | undefined {
  if (!(prototype instanceof Base)) throw new TypeError(`The prototype must derive from ${Base.name}`);
  if (Function.prototype.toString.call(Base).startsWith('class')) return undefined;
  const base = Base as unknown as (this: object, ...arguments_: unknown[]) => void;
  function Constructed(this: object, ...arguments_: unknown[]): void {
    base.apply(this, arguments_);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as C;
}
