import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { requestLogFieldsOf } from '../tenancy/log-fields';

const USER_KEY = 'user_id';

/** The signed-in user of the current request, as the AuthGuard verified it from the access token. */
@Injectable()
export class Principal {
  constructor(private readonly cls: ClsService) {}

  set(userId: string): void {
    this.cls.set(USER_KEY, userId);
    requestLogFieldsOf(this.cls).user_id = userId;
  }

  /** Undefined on public routes (sign-in, sign-up, refresh) and outside requests. */
  get optionalId(): string | undefined {
    return this.cls.isActive() ? this.cls.get<string | undefined>(USER_KEY) : undefined;
  }

  get id(): string {
    const id = this.optionalId;
    if (!id) throw new Error('No signed-in user in context: is the route marked @Public()?');
    return id;
  }
}
