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
}
