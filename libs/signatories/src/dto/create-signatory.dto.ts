import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AUTHENTICATION_METHODS, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, REQUESTED_SIGNATURE_LEVELS, RequestedSignatureLevel, SIGNATORY_LANGUAGES } from '../signatory-fields';
import type { AuthenticationMethod, SignatoryLanguage } from '../signatory.entity';
import {
  AuthenticationField,
  EmailField,
  IdentityProviderUidForLevel,
  IsPersonName,
  LanguageField,
  PhoneField,
  SignatureLevelField,
} from './signatory-validators';

export const NAME_DESCRIPTION = `Any script, stored exactly as sent; not empty or only whitespace, no control characters, at most ${NAME_MAX_LENGTH} characters`;
export const PHONE_DESCRIPTION = 'E.164 number with or without the leading +, returned as digits only';
export const LEVEL_DESCRIPTION =
  '`simple` (default) or `advanced`, which needs `identity_provider_uid`. `qualified` is rejected with a 422 `signature_level_not_available` because it is not available yet.';

/** Body of `POST /transactions/{uid}/signatories`. */
export class CreateSignatoryDto {
  @ApiProperty({ example: 'John', maxLength: NAME_MAX_LENGTH, description: NAME_DESCRIPTION })
  @IsPersonName()
  firstname!: string;

  @ApiProperty({ example: 'Doo', maxLength: NAME_MAX_LENGTH, description: NAME_DESCRIPTION })
  @IsPersonName()
  lastname!: string;

  @ApiProperty({ example: 'john.doo@example.com', maxLength: EMAIL_MAX_LENGTH })
  @EmailField()
  email!: string;

  @ApiProperty({ example: '+33651836133', description: PHONE_DESCRIPTION })
  @PhoneField()
  phone!: string;

  @ApiProperty({ enum: SIGNATORY_LANGUAGES, example: 'FR', description: 'Language of the signing page and messages; case-insensitive' })
  @LanguageField()
  language!: SignatoryLanguage;

  @ApiProperty({ enum: AUTHENTICATION_METHODS, example: 'sms', description: 'Channel of the one-time password' })
  @AuthenticationField()
  authentication!: AuthenticationMethod;

  @ApiPropertyOptional({ enum: REQUESTED_SIGNATURE_LEVELS, default: 'simple', example: 'simple', description: LEVEL_DESCRIPTION })
  @IsOptional()
  @SignatureLevelField()
  signature_level?: RequestedSignatureLevel;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'Identity provider that identifies an `advanced` signatory; required for that level and rejected (400) for the others',
  })
  @IdentityProviderUidForLevel()
  identity_provider_uid?: string | null;
}
