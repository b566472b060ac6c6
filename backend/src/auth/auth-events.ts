import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CLS_REQ, ClsService } from 'nestjs-cls';
import { ScopedDatabase } from '../tenancy/scoped-database';

export type AuthEvent = 'sign_in_failed' | 'sign_in_throttled' | 'invitation_rejected';

/**
 * Failed sign-ins, unknown emails included: they belong to no tenant, so they go to a global log that the
 * application role may append to but not read.
 */
@Injectable()
export class AuthEvents {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly cls: ClsService,
  ) {}

  async record(event: AuthEvent, details: { email?: string; userId?: string; ip?: string }): Promise<void> {
    const request = this.cls.isActive() ? this.cls.get<Request & { id?: unknown }>(CLS_REQ) : undefined;
    await this.database.run({}, () =>
      this.database.rows(
        `INSERT INTO auth_events (event, email, user_id, ip, request_id) VALUES ($1, $2, $3, $4, $5)`,
        [
          event,
          details.email?.trim().toLowerCase().slice(0, 254) ?? null,
          details.userId ?? null,
          details.ip ?? null,
          typeof request?.id === 'string' ? request.id : null,
        ],
      ),
    );
  }
}
