import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericToNumber } from '../common/database/numeric.transformer';
import type { Stage } from './stage';

/** An open opportunity has a next action; a closed one has none (the opportunities_next_action_while_open CHECK). */
@Entity({ name: 'opportunities' })
export class Opportunity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericToNumber })
  value!: number;

  @Column({ type: 'text' })
  stage!: Stage;

  /** A member of the tenant; null when unassigned (its owner left the tenant). */
  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @Column({ name: 'next_action_at', type: 'timestamptz', precision: 3, nullable: true })
  nextActionAt!: Date | null;

  @Column({ name: 'next_action_details', type: 'text', nullable: true })
  nextActionDetails!: string | null;

  /** How often the current next action was pushed without being done; back to 0 when it is completed. */
  @Column({ name: 'reschedule_count', type: 'integer' })
  rescheduleCount!: number;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
