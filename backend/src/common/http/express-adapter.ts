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
 * already in place, Express's call changes nothing, and the same app moves nothing. On NAT's due page at that
 * rate (allocation-site pretenuring off, as NAT_NODE_OPTIONS has it) it took the promotion from ~26 kB to
 * ~11 kB per page, and the full collections from 2-3 to 1-2 per 10 s (the README's Performance section).
 *
 * Everything else is NestJS's adapter. HTTPS and `forceCloseConnections` (neither of which NAT uses) keep
 * NestJS's own server.
 */
export class NatExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<Express>();
    this.httpServer = createServer(
      {
        IncomingMessage: constructorWithPrototype(IncomingMessage, app.request),
        ServerResponse: constructorWithPrototype<typeof ServerResponse>(ServerResponse, app.response),
      },
      app,
    );
  }
}

/**
 * A constructor for Node's HTTP server (which calls it with `new`) that builds a `Base` whose prototype is
 * `prototype`, a descendant of `Base.prototype`. Built with Reflect.construct, so `Base` may be a class or a
 * plain constructor function.
 */
export function constructorWithPrototype<C extends abstract new (...arguments_: never[]) => object>(
  Base: C,
  prototype: object,
): C {
  if (!(prototype instanceof Base)) throw new TypeError(`The prototype must derive from ${Base.name}`);
  function Constructed(...arguments_: ConstructorParameters<C>): InstanceType<C> {
    return Reflect.construct(Base, arguments_, Constructed) as InstanceType<C>;
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as C;
}
