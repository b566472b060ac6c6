import { Agent, IncomingMessage, request, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { Controller, Get, Req, Res, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Express, Request, Response } from 'express';
import { constructorWithPrototype, NatExpressAdapter } from './express-adapter';

// V8's own answer to "do these two objects have the same hidden class?", as V8's tests ask it.
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- natives syntax compiles only from source, after the flag
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

interface Seen {
  requestPrototype: object | null;
  responsePrototype: object | null;
  isIncomingMessage: boolean;
  isServerResponse: boolean;
  path: string;
  query: unknown;
}

@Controller('probe')
class ProbeController {
  static seen: Seen | undefined;

  @Get()
  probe(@Req() request: Request, @Res() response: Response): void {
    ProbeController.seen = {
      requestPrototype: Object.getPrototypeOf(request) as object | null,
      responsePrototype: Object.getPrototypeOf(response) as object | null,
      isIncomingMessage: request instanceof IncomingMessage,
      isServerResponse: response instanceof ServerResponse,
      path: request.path,
      query: request.query,
    };
    // Express's own response methods: they come from the prototype the server gave the response.
    response.status(201).json({ ok: true });
  }
}

describe('NatExpressAdapter', () => {
  let app: INestApplication;
  let express: Express;
  let port: number;
  /** The prototypes of each request and response as the server built them, before Express saw them. */
  const built: { request: object | null; response: object | null }[] = [];
  /** The requests and responses themselves, at the same moment. */
  const instances: { request: IncomingMessage; response: ServerResponse }[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    const adapter = new NatExpressAdapter();
    express = adapter.getInstance<Express>();
    app = moduleRef.createNestApplication(adapter, { logger: false });
    await app.init();
    const server = app.getHttpServer() as Server;
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      built.push({
        request: Object.getPrototypeOf(request) as object | null,
        response: Object.getPrototypeOf(response) as object | null,
      });
      instances.push({ request, response });
    });
    await app.listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => app.close());

  it("builds each request and response with Express's prototypes, so Express never has to swap them", async () => {
    built.length = 0;
    const answer = await fetch(`http://127.0.0.1:${port}/probe?stage=Lead`);

    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ ok: true });
    expect(built).toEqual([{ request: express.request, response: express.response }]);
    expect(ProbeController.seen).toEqual({
      requestPrototype: express.request,
      responsePrototype: express.response,
      isIncomingMessage: true,
      isServerResponse: true,
      path: '/probe',
      query: { stage: 'Lead' },
    });
  });

  it('builds every request of a kept-alive connection the same way', async () => {
    built.length = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: { status: number; localPort: number }[] = [];
    for (let index = 0; index < 3; index++) answers.push(await get(agent, port));
    agent.destroy();

    expect(answers.map(({ status }) => status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map(({ localPort }) => localPort)).size).toBe(1);
    expect(built).toEqual(Array(3).fill({ request: express.request, response: express.response }));
  });

  it('gives every request, and every response, the same hidden class', async () => {
    instances.length = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    await Promise.all([get(agent, port), get(agent, port), get(agent, port)]);
    agent.destroy();

    expect(instances).toHaveLength(3);
    const [first, ...others] = instances;
    for (const other of others) {
      expect(haveSameMap(first.request, other.request)).toBe(true);
      expect(haveSameMap(first.response, other.response)).toBe(true);
    }
  });
});

function get(agent: Agent, port: number): Promise<{ status: number; localPort: number }> {
  return new Promise((resolve, reject) => {
    const call = request({ agent, port, host: '127.0.0.1', path: '/probe' }, (response) => {
      const localPort = response.socket.localPort ?? 0;
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, localPort }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('constructorWithPrototype', () => {
  /** A constructor as Node's IncomingMessage and ServerResponse are written: a plain function. */
  interface Base {
    value: number;
  }
  const Base = function Base(this: Base, value: number) {
    this.value = value;
  } as unknown as new (value: number) => Base;

  function prototypeWithTwice(): Base & { twice(): number } {
    const prototype = Object.create(Base.prototype) as Base & { twice(): number };
    prototype.twice = function twice(this: Base) {
      return this.value * 2;
    };
    return prototype;
  }

  it('builds instances with the given prototype, through the base constructor', () => {
    const prototype = prototypeWithTwice();
    const Built = constructorWithPrototype(Base, prototype)!;

    const instance = new Built(21);

    expect(Object.getPrototypeOf(instance)).toBe(prototype);
    expect(instance).toBeInstanceOf(Base);
    expect(instance.value).toBe(21);
    expect((instance as typeof prototype).twice()).toBe(42);
  });

  it('builds every instance with one hidden class', () => {
    const Built = constructorWithPrototype(Base, prototypeWithTwice())!;

    expect(haveSameMap(new Built(1), new Built(2))).toBe(true);
  });

  it("answers undefined for a class, which cannot run on an object it did not create: Node's constructor stays", () => {
    class Derived {}
    expect(constructorWithPrototype(Derived, Object.create(Derived.prototype) as object)).toBeUndefined();
  });

  it("uses Node's request and response constructors as they are on this Node.js: plain functions", () => {
    expect(
      constructorWithPrototype(IncomingMessage, Object.create(IncomingMessage.prototype) as object),
    ).toBeDefined();
    expect(
      constructorWithPrototype(ServerResponse, Object.create(ServerResponse.prototype) as object),
    ).toBeDefined();
  });

  it('refuses a prototype that does not derive from the base', () => {
    expect(() => constructorWithPrototype(Base, {})).toThrow(TypeError);
  });
});
