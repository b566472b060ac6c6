/** The stages of an open opportunity, in pipeline order. */
export const OPEN_STAGES = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation'] as const;
/** Where a deal ends: it has no next action any more. */
export const CLOSED_STAGES = ['Closed Won', 'Closed Lost'] as const;
/** Every stage, as the `opportunities_stage_known` CHECK lists them. */
export const STAGES = [...OPEN_STAGES, ...CLOSED_STAGES] as const;

export type OpenStage = (typeof OPEN_STAGES)[number];
export type ClosedStage = (typeof CLOSED_STAGES)[number];
export type Stage = OpenStage | ClosedStage;

export const OUTCOMES = ['won', 'lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const STATUSES = ['open', 'won', 'lost'] as const;
export type Status = (typeof STATUSES)[number];

export const CLOSED_STAGE_OF: Record<Outcome, ClosedStage> = { won: 'Closed Won', lost: 'Closed Lost' };

export function isClosed(stage: Stage): stage is ClosedStage {
  return (CLOSED_STAGES as readonly Stage[]).includes(stage);
}

export function statusOf(stage: Stage): Status {
  if (stage === 'Closed Won') return 'won';
  if (stage === 'Closed Lost') return 'lost';
  return 'open';
}
