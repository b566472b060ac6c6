/** The stages of an open opportunity, in pipeline order; the same list is a CHECK constraint. */
export const OPEN_STAGES = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation'] as const;

export type Stage = (typeof OPEN_STAGES)[number];
