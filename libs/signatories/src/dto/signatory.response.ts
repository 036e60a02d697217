import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '@secusign/http';
import { AUTHENTICATION_METHODS, SIGNATORY_LANGUAGES } from '../signatory-fields';
import { SignatoryStatus } from '../signatory-status';

const TIMESTAMP = '2024-01-27T08:45:54.000000Z';

/** A signatory body. The class name is the schema name that transaction bodies refer to. */
export class SignatoryResponse {
  @ApiProperty({ format: 'uuid', example: '8a6ff96d-196f-40a4-80af-abe4f61f743b' })
  uid!: string;

  @ApiProperty({ format: 'uuid', example: '5c7955f7-fe96-48c7-bff3-d621f7482b8b' })
  transaction_uid!: string;

  @ApiProperty({ example: 'John' })
  firstname!: string;

  @ApiProperty({ example: 'Doo' })
  lastname!: string;

  @ApiProperty({ example: 'john.doo@example.com' })
  email!: string;

  @ApiProperty({ example: '33651836133', description: 'E.164 digits without the +' })
  phone!: string;

  @ApiProperty({ enum: SIGNATORY_LANGUAGES, example: 'FR' })
  language!: string;

  @ApiProperty({ enum: AUTHENTICATION_METHODS, example: 'sms' })
  authentication!: string;

  @ApiProperty({ enum: ['simple', 'advanced'], example: 'simple' })
  signature_level!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  identity_provider_uid!: string | null;

  @ApiProperty({
    enum: SignatoryStatus,
    example: 'identified',
    description: '`created` (waiting for the identity provider) → `identified` → `authenticated` → `signed`; a simple signatory starts `identified`',
  })
  status!: SignatoryStatus;

  @ApiProperty({ type: String, nullable: true, example: TIMESTAMP })
  identified_at!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  authenticated_at!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  signed_at!: string | null;

  @ApiProperty({ example: TIMESTAMP })
  created_at!: string;

  @ApiProperty({ example: 'https://sign.example/8a6ff96d-196f-40a4-80af-abe4f61f743b/workflow/', description: 'Always `{PUBLIC_URL}/{uid}/workflow/`' })
  signatory_url!: string;
}

export class SignatoryPageResponse extends PageResponse {
  @ApiProperty({ type: [SignatoryResponse] })
  data!: SignatoryResponse[];
}
