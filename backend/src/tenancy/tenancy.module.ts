import { Global, Module } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Idempotency } from './idempotency';
import { MembershipCache } from './membership-cache';
import { RequestScopeInterceptor } from './request-scope.interceptor';
import { ScopedDatabase } from './scoped-database';
import { TenantContext } from './tenant-context';

/** Who is asking, for which tenant, and the scoped transaction every query runs in. */
@Global()
@Module({
  providers: [
    Principal,
    TenantContext,
    ScopedDatabase,
    MembershipCache,
    Idempotency,
    RequestScopeInterceptor,
  ],
  exports: [Principal, TenantContext, ScopedDatabase, RequestScopeInterceptor],
})
export class TenancyModule {}
