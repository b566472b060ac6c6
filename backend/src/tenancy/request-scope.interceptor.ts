import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { Principal } from '../auth/principal';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import { REQUEST_TIMEOUT_MS } from '../database/data-source-options';
import { TENANT_ID_PATTERN } from '../tenants/tenant-id';
import { Idempotency, idempotencyKeyOf } from './idempotency';
import { type MembershipRow, ScopedDatabase } from './scoped-database';
import { TenantContext } from './tenant-context';
import { TENANT_HEADER, TENANT_ROUTE, type TenantRouteRule } from './tenant-endpoint.decorator';
import { TransactionDeadline } from './transaction-deadline';
import { tenantMemberOf } from './tenant-member';

export class TenantAccessDenied extends ApiError {
  constructor(tenantId: string) {
    // The same answer for a tenant that does not exist: the API never tells which tenant ids exist.
    super(ErrorCode.TENANT_ACCESS_DENIED, `You are not a member of tenant ${tenantId}.`);
  }
}

/**
 * Global: every authenticated request runs as the application role, scoped to the signed-in user and, on tenant
 * routes, to the tenant of `X-Tenant-ID` once the membership is confirmed. A request that may change data runs
 * in one transaction: its writes commit before the response is sent, or roll back with its error. A GET on a
 * tenant route only reads: each of its statements is scoped and checked on its own, without a transaction.
 * Public routes (sign-in, sign-up, refresh) open their own short transactions.
 */
@Injectable()
export class RequestScopeInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly principal: Principal,
    private readonly database: ScopedDatabase,
    private readonly tenantContext: TenantContext,
    private readonly idempotency: Idempotency,
    @Inject(REQUEST_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const userId = this.principal.optionalId;
    if (context.getType() !== 'http' || !userId) return next.handle();
    const rule = this.reflector.get<TenantRouteRule | undefined>(TENANT_ROUTE, context.getHandler());
    const handle = () => lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined });
    if (!rule) {
      const deadline = new TransactionDeadline(this.timeoutMs);
      return from(deadline.race(this.database.run({ userId }, handle, deadline)));
    }
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const tenantId = tenantIdOf(request);
    // After the header checks: a request refused before reaching the database leaves no timer behind.
    const deadline = new TransactionDeadline(this.timeoutMs);
    if (request.method === 'GET') {
      // A read changes nothing, so it needs no transaction, and may be answered again should its membership
      // change while it runs (see ScopedDatabase.readAsMember).
      const read = this.database.readAsMember(
        { userId, tenantId },
        (membership) => {
          this.admit(tenantId, userId, membership, rule);
          return handle();
        },
        deadline,
      );
      return from(deadline.race(read));
    }
    const transaction = this.database.runAsMember(
      { userId, tenantId },
      async (membership) => {
        this.admit(tenantId, userId, membership, rule);
        const key = rule.idempotent ? idempotencyKeyOf(request) : undefined;
        if (key === undefined) return handle();
        const member = this.tenantContext.member;
        return this.idempotency.once(member, key, request, http.getResponse<Response>(), handle);
      },
      deadline,
    );
    return from(deadline.race(transaction));
  }

  private admit(
    tenantId: string,
    userId: string,
    membership: MembershipRow | undefined,
    rule: TenantRouteRule,
  ): void {
    if (!membership) throw new TenantAccessDenied(tenantId);
    this.tenantContext.set(tenantMemberOf(membership, userId));
    if (rule.roles) this.tenantContext.require(rule.roles, 'use this endpoint');
  }
}

function tenantIdOf(request: Request): string {
  const tenantId = request.header(TENANT_HEADER)?.trim();
  if (!tenantId) {
    throw new ApiError(ErrorCode.TENANT_ID_MISSING, `The ${TENANT_HEADER} header is required.`);
  }
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    throw new ApiError(
      ErrorCode.TENANT_ID_INVALID,
      `The ${TENANT_HEADER} header must be 2-63 lowercase letters, digits or hyphens, starting with a letter or digit.`,
    );
  }
  return tenantId;
}
