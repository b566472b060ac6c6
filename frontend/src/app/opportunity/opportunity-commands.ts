import { inject, Injectable } from '@angular/core';
import { Api } from '../api/api';
import {
  opportunitiesCreate,
  opportunitiesGet,
  opportunitiesUpdate,
  opportunityActionsClose,
  opportunityActionsCompleteAction,
  opportunityActionsReopen,
  opportunityActionsReschedule,
} from '../api/functions';
import type {
  CloseOpportunityDto,
  CompleteActionDto,
  CompleteActionResponseDto,
  CreateOpportunityDto,
  OpportunityDto,
  ReopenOpportunityDto,
  RescheduleDto,
  UpdateOpportunityDto,
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

  create(body: CreateOpportunityDto): Promise<OpportunityDto> {
    return this.notifying(this.api.invoke(opportunitiesCreate, { body }));
  }

  completeAction(id: string, body: CompleteActionDto): Promise<CompleteActionResponseDto> {
    return this.notifying(this.api.invoke(opportunityActionsCompleteAction, { id, body }));
  }

  /** Name, value and/or stage (an open one); send only what changed. */
  update(id: string, body: UpdateOpportunityDto): Promise<OpportunityDto> {
    return this.notifying(this.api.invoke(opportunitiesUpdate, { id, body }));
  }

  /** Moves the current action to a later date without completing it. */
  reschedule(id: string, body: RescheduleDto): Promise<OpportunityDto> {
    return this.notifying(this.api.invoke(opportunityActionsReschedule, { id, body }));
  }

  /** Takes the deal out of the pipeline as won or lost; its next action is dropped. */
  close(id: string, body: CloseOpportunityDto): Promise<OpportunityDto> {
    return this.notifying(this.api.invoke(opportunityActionsClose, { id, body }));
  }

  /** Brings a closed deal back into the pipeline, with its new next action. */
  reopen(id: string, body: ReopenOpportunityDto): Promise<OpportunityDto> {
    return this.notifying(this.api.invoke(opportunityActionsReopen, { id, body }));
  }

  private async notifying<T>(request: Promise<T>): Promise<T> {
    const result = await request;
    this.changes.notify();
    return result;
  }
}
