import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageResponse } from '@secusign/http';
import { PUBLIC_KEY_MAX_LENGTH } from './provider-keys';

const EXAMPLE_PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEO8xwvBNlIzjuXjOdBW6eTQjMzPqN\njO0emiYBynhUGugrp84DySflqu6N3amiMa+KdL80v6s6icrAhEpJD/ZOFA==\n-----END PUBLIC KEY-----\n';

export class CreateIdentityProviderDto {
  @ApiProperty({ example: 'Acme eID verification', description: 'Administrator\'s label for the provider', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({
    example: EXAMPLE_PUBLIC_KEY,
    maxLength: PUBLIC_KEY_MAX_LENGTH,
    description:
      'P-256 public key that the provider generated itself, PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`). ' +
      'Without it the platform generates the key pair and returns the private key once. ' +
      'Generate one with `openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out idp.key` and `openssl pkey -in idp.key -pubout`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PUBLIC_KEY_MAX_LENGTH)
  public_key?: string;
}

export class IdentityProviderResponse {
  @ApiProperty({ example: '0f5c1c7e-3a1e-4f0e-9b8a-2d6f5a7c9e11', format: 'uuid', description: 'Also the `kid` of the provider\'s approvals' })
  uid!: string;

  @ApiProperty({ example: 'Acme eID verification' })
  name!: string;

  @ApiProperty({ enum: ['active', 'disabled'], example: 'active', description: 'Approvals of a disabled provider get 401' })
  status!: 'active' | 'disabled';

  @ApiProperty({ example: EXAMPLE_PUBLIC_KEY, description: 'P-256 public key that verifies the approvals, PEM SubjectPublicKeyInfo' })
  public_key!: string;

  @ApiProperty({ example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', description: 'RFC 7638 SHA-256 thumbprint of the public key as a JWK, base64url' })
  key_thumbprint!: string;

  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' })
  disabled_at!: string | null;

  @ApiProperty({ example: '2024-01-27T08:45:54.000000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: '2024-01-27T08:45:54.000000Z', format: 'date-time' })
  updated_at!: string;
}

/** The create response: when the platform generated the key pair, the only time the private key is returned. */
export class CreatedIdentityProviderResponse extends IdentityProviderResponse {
  @ApiPropertyOptional({
    example: '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg…\n-----END PRIVATE KEY-----\n',
    description: 'P-256 private key, PEM PKCS#8, unencrypted. Present only when the request had no `public_key`; shown only in this response and never stored.',
  })
  private_key?: string;
}

export class IdentityProviderPageResponse extends PageResponse {
  @ApiProperty({ type: [IdentityProviderResponse] })
  data!: IdentityProviderResponse[];
}
