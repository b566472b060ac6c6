import { ApiProperty } from '@nestjs/swagger';

export class DueSummaryDto {
  @ApiProperty({ example: 4, description: 'Due actions whose time has passed' })
  overdue_count!: number;

  @ApiProperty({ example: 7, description: 'Due actions not yet overdue (later today, or before `until`)' })
  due_today_count!: number;

  @ApiProperty({
    example: 182500,
    description: "Sum of the due opportunities' values, in the tenant's currency",
  })
  due_value_total!: number;

  @ApiProperty({ example: 1250000, description: 'Sum of the values of all open opportunities, due or not' })
  pipeline_value_open!: number;

  @ApiProperty({
    example: 3,
    description: 'Open opportunities whose current next action was pushed at least once',
  })
  rescheduled_count!: number;
}
