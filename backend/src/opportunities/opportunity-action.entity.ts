import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One completed action: what was planned, when it was due, and when and how it was done. */
@Entity({ name: 'opportunity_actions' })
export class OpportunityAction {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ type: 'text' })
  details!: string;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3 })
  completedAt!: Date;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;
}
