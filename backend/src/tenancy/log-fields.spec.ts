import { ClsServiceManager } from 'nestjs-cls';
import { Principal } from '../auth/principal';
import { Tenant } from '../tenants/tenant.entity';
import { requestLogFields } from './log-fields';
import { TenantContext } from './tenant-context';

const USER_ID = '6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f';

describe('requestLogFields (the request log mixin)', () => {
  const cls = ClsServiceManager.getClsService();

  it('is empty outside a request', () => {
    expect(requestLogFields()).toEqual({});
  });

  it('is empty before the guard has named the user', () => {
    cls.run(() => {
      expect(requestLogFields()).toEqual({});
    });
  });

  it('names the user, and the tenant set inside the nested context of the request transaction', async () => {
    await cls.run(async () => {
      new Principal(cls).set(USER_ID);
      expect(requestLogFields()).toEqual({ user_id: USER_ID });
      // As @nestjs-cls/transactional runs a transaction: a nested context, a copy of the request's.
      await cls.run({ ifNested: 'inherit' }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        const tenant = Object.assign(new Tenant(), { id: 'acme' });
        new TenantContext(cls).set({ tenant, userId: USER_ID, role: 'rep' });
      });
      // The request log's line is written in the request's own context, after the transaction's has ended.
      expect(requestLogFields()).toEqual({ user_id: USER_ID, tenant_id: 'acme' });
    });
  });

  it('keeps requests apart', async () => {
    await Promise.all(
      ['one', 'two'].map((tenantId) =>
        cls.run(async () => {
          new Principal(cls).set(USER_ID);
          await new Promise((resolve) => setImmediate(resolve));
          new TenantContext(cls).set({
            tenant: Object.assign(new Tenant(), { id: tenantId }),
            userId: USER_ID,
            role: 'manager',
          });
          await new Promise((resolve) => setImmediate(resolve));
          expect(requestLogFields().tenant_id).toBe(tenantId);
        }),
      ),
    );
  });
});
