import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipsModule } from '../memberships/memberships.module';
import { OpportunitiesController } from './opportunities.controller';
import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunitiesService } from './opportunities.service';
import { OpportunityActionsController } from './opportunity-actions.controller';
import { OpportunityBulk } from './opportunity-bulk.service';
import { OpportunityEvent } from './opportunity-event.entity';
import { OpportunityLifecycle } from './opportunity-lifecycle.service';
import { Opportunity } from './opportunity.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Opportunity, OpportunityEvent]), MembershipsModule],
  controllers: [OpportunitiesController, OpportunityActionsController],
  providers: [OpportunitiesService, OpportunityLifecycle, OpportunityBulk, OpportunitiesRepository],
})
export class OpportunitiesModule {}
