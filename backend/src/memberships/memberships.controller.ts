import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { TenantEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { AddMemberDto, RoleDto } from './dto/add-member.dto';
import { AddMemberResultDto, MembershipDto } from './dto/membership.dto';
import { TenantMembers } from './tenant-members';

const ADMIN = ['admin'] as const;

@ApiTags('memberships')
@Controller('memberships')
export class MembershipsController {
  constructor(private readonly members: TenantMembers) {}

  @Get()
  @TenantEndpoint({ summary: "The tenant's members, by name (any member may look)" })
  @ApiOkResponse({ type: [MembershipDto] })
  list(): Promise<MembershipDto[]> {
    return this.members.list();
  }

  @Post()
  @TenantEndpoint({
    idempotent: true,
    summary: 'Add a member (admins)',
    description:
      'An existing user joins at once. An email without an account creates an invited user and answers a ' +
      'one-time `invitation.token` (valid 7 days) for POST /api/v1/auth/invitation.',
    roles: ADMIN,
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_JSON, ErrorCode.ALREADY_MEMBER],
  })
  @ApiCreatedResponse({ type: AddMemberResultDto })
  add(@Body() body: AddMemberDto): Promise<AddMemberResultDto> {
    return this.members.add(body);
  }

  @Patch(':user_id')
  @TenantEndpoint({
    summary: "Change a member's role (admins)",
    description: 'The last admin of a tenant cannot be demoted (409 LAST_ADMIN).',
    roles: ADMIN,
    errors: [
      ErrorCode.VALIDATION_ERROR,
      ErrorCode.MALFORMED_JSON,
      ErrorCode.MEMBERSHIP_NOT_FOUND,
      ErrorCode.LAST_ADMIN,
    ],
  })
  @ApiOkResponse({ type: MembershipDto })
  changeRole(@UuidParam('user_id') userId: string, @Body() body: RoleDto): Promise<MembershipDto> {
    return this.members.changeRole(userId.toLowerCase(), body.role);
  }

  @Delete(':user_id')
  @HttpCode(204)
  @TenantEndpoint({
    summary: 'Remove a member (admins)',
    description:
      'Their opportunities stay, unassigned, for a manager to reassign. The last admin cannot be removed.',
    roles: ADMIN,
    errors: [ErrorCode.VALIDATION_ERROR, ErrorCode.MEMBERSHIP_NOT_FOUND, ErrorCode.LAST_ADMIN],
  })
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@UuidParam('user_id') userId: string): Promise<void> {
    await this.members.remove(userId.toLowerCase());
  }
}
