import { inject, Injectable } from '@angular/core';
import { Api } from '../api/api';
import { opportunitiesCompleteAction, opportunitiesCreate, opportunitiesGet } from '../api/functions';
import type {
  CompleteActionDto,
  CompleteActionResponseDto,
  CreateOpportunityDto,
  OpportunityDto,
} from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';

/** The writes of the dashboard, through the generated client; every success tells open views to refresh. */
@Injectable({ providedIn: 'root' })
export class OpportunityCommands {
  private readonly api = inject(Api);
  private readonly changes = inject(PipelineChanges);

  get(id: string): Promise<OpportunityDto> {
    return this.api.invoke(opportunitiesGet, { id });
  }

  async create(body: CreateOpportunityDto): Promise<OpportunityDto> {
    const created = await this.api.invoke(opportunitiesCreate, { body });
    this.changes.notify();
    return created;
  }

  async completeAction(id: string, body: CompleteActionDto): Promise<CompleteActionResponseDto> {
    const result = await this.api.invoke(opportunitiesCompleteAction, { id, body });
    this.changes.notify();
    return result;
  }
}
