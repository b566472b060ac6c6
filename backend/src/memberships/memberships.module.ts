import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MembershipsController } from './memberships.controller';
import { TenantMembers } from './tenant-members';

@Module({
  imports: [AuthModule],
  controllers: [MembershipsController],
  providers: [TenantMembers],
  exports: [TenantMembers],
})
export class MembershipsModule {}
