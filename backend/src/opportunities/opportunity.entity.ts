import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericToNumber } from '../common/database/numeric.transformer';
import type { Stage } from './stage';

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

  @Column({ name: 'next_action_at', type: 'timestamptz', precision: 3 })
  nextActionAt!: Date;

  @Column({ name: 'next_action_details', type: 'text' })
  nextActionDetails!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
