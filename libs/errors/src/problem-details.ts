import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 9457 problem body, the shape of every error response. */
export class ProblemDetails {
  @ApiProperty({ example: 'urn:secusign:problem:validation_failed', description: 'Stable URI of the problem type' })
  type!: string;

  @ApiProperty({ example: 'Validation failed' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request body is invalid.' })
  detail!: string;

  @ApiPropertyOptional({ example: '/api/v1/transactions', description: 'Request path' })
  instance?: string;

  @ApiPropertyOptional({
    example: { email: ['email must be an email'] },
    description: 'Field → messages, for validation problems',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  errors?: Record<string, string[]>;

  @ApiPropertyOptional({ example: 'ce0f8c7e-6a2b-4df5-9a3d-5d2f1f0f3a10', description: 'Identifier of a 500 error, also written to the logs' })
  error_id?: string;
}

/** Human title of a problem code: `document_not_pdf` → `Document not pdf`. */
export function titleOf(code: string): string {
  const words = code.replace(/_/g, ' ');

  return words.charAt(0).toUpperCase() + words.slice(1);
}
