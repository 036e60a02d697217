import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '@secusign/http';

export class ClientResponse {
  @ApiProperty({ example: 'b7f3f0d4-2f7e-4c47-9a5c-1f1f6c1b2d3e', format: 'uuid' })
  uid!: string;

  @ApiProperty({ example: 'cli_Jx3q9Zb1TfS8m2Lw', description: 'User-id half of the client\'s Basic credentials' })
  client_id!: string;

  @ApiProperty({ example: 'Acme Leasing (production)' })
  name!: string;

  @ApiProperty({ example: 'Acme Leasing', nullable: true, type: String })
  display_name!: string | null;

  @ApiProperty({ example: '#0A5FFF', nullable: true, type: String })
  primary_color!: string | null;

  @ApiProperty({ example: 'https://acme.example/logo.png', nullable: true, type: String })
  logo_url!: string | null;

  @ApiProperty({ example: 'ACME', nullable: true, type: String })
  sms_sender!: string | null;

  @ApiProperty({ enum: ['active', 'disabled'], example: 'active', description: 'A disabled client gets 401 on every client route' })
  status!: 'active' | 'disabled';

  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' })
  disabled_at!: string | null;

  @ApiProperty({ example: '2024-01-27T08:45:54.000000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: '2024-01-27T08:45:54.000000Z', format: 'date-time' })
  updated_at!: string;
}

/** The create response: the only time the secrets are returned. */
export class CreatedClientResponse extends ClientResponse {
  @ApiProperty({ example: 'sk_0dYw2rGk8n3Qp1sXyZ5vB7mL9cT4hJ6aE2uF8iK0oP', description: 'Password half of the Basic credentials; shown only in this response' })
  client_secret!: string;

  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Standard Webhooks signing secret (`whsec_` + base64 of 32 random bytes); shown only in this response',
  })
  webhook_secret!: string;
}

export class ClientPageResponse extends PageResponse {
  @ApiProperty({ type: [ClientResponse] })
  data!: ClientResponse[];
}
