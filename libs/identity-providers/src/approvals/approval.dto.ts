import { ApiProperty } from '@nestjs/swagger';

/** Result of an accepted approval. */
export class ApprovalResponse {
  @ApiProperty({ example: '4d0c9a8e-6b1f-4f57-8f0e-6a3f5f0b2c1d', format: 'uuid', description: 'Identifier of the recorded approval' })
  uid!: string;

  @ApiProperty({ example: '0f5c1c7e-3a1e-4f0e-9b8a-2d6f5a7c9e11', format: 'uuid' })
  identity_provider_uid!: string;

  @ApiProperty({ example: '8a6ff96d-196f-40a4-80af-abe4f61f743b', format: 'uuid' })
  signatory_uid!: string;

  @ApiProperty({ example: '6f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' })
  jti!: string;

  @ApiProperty({ enum: ['identified'], example: 'identified', description: 'The signatory\'s status after the approval' })
  signatory_status!: 'identified';

  @ApiProperty({ example: '2024-01-27T08:45:54.000000Z', format: 'date-time' })
  identified_at!: string;

  @ApiProperty({ example: '2024-01-27T08:45:50.000000Z', format: 'date-time', description: 'The approval\'s `iat`' })
  issued_at!: string;
}
