import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OpportunitiesController } from './opportunities.controller';
import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunitiesService } from './opportunities.service';
import { OpportunityAction } from './opportunity-action.entity';
import { Opportunity } from './opportunity.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Opportunity, OpportunityAction])],
  controllers: [OpportunitiesController],
  providers: [OpportunitiesService, OpportunitiesRepository],
})
export class OpportunitiesModule {}
