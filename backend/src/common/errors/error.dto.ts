import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './error-code';

export class FieldErrorDto {
  @ApiProperty({ example: 'new_next_action_at' })
  field!: string;

  @ApiProperty({ example: 'new_next_action_at must be in the future' })
  message!: string;
}

export class ErrorDto {
  @ApiProperty({ example: 'Opportunity not found or access denied' })
  detail!: string;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.OPPORTUNITY_NOT_FOUND })
  error_code!: ErrorCode;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Only for VALIDATION_ERROR: one entry per failed rule',
  })
  errors?: FieldErrorDto[];
}
