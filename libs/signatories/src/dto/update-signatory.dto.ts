import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AUTHENTICATION_METHODS, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, REQUESTED_SIGNATURE_LEVELS, RequestedSignatureLevel, SIGNATORY_LANGUAGES } from '../signatory-fields';
import type { AuthenticationMethod, SignatoryLanguage } from '../signatory.entity';
import { LEVEL_DESCRIPTION, NAME_DESCRIPTION, PHONE_DESCRIPTION } from './create-signatory.dto';
import {
  AuthenticationField,
  EmailField,
  IdentityProviderUidField,
  IsPersonName,
  LanguageField,
  OptionalNotNull,
  PhoneField,
  SignatureLevelField,
} from './signatory-validators';

/**
 * Body of `PATCH /transactions/{uid}/signatories/{signatory_uid}`: the create fields, each optional.
 * The merged signatory is validated again, so switching to `advanced` needs an identity provider.
 */
export class UpdateSignatoryDto {
  @ApiPropertyOptional({ example: 'John', maxLength: NAME_MAX_LENGTH, description: NAME_DESCRIPTION })
  @OptionalNotNull()
  @IsPersonName()
  firstname?: string;

  @ApiPropertyOptional({ example: 'Doo', maxLength: NAME_MAX_LENGTH, description: NAME_DESCRIPTION })
  @OptionalNotNull()
  @IsPersonName()
  lastname?: string;

  @ApiPropertyOptional({ example: 'john.doo@example.com', maxLength: EMAIL_MAX_LENGTH })
  @OptionalNotNull()
  @EmailField()
  email?: string;

  @ApiPropertyOptional({ example: '+33651836133', description: PHONE_DESCRIPTION })
  @OptionalNotNull()
  @PhoneField()
  phone?: string;

  @ApiPropertyOptional({ enum: SIGNATORY_LANGUAGES, example: 'EN', description: 'Case-insensitive' })
  @OptionalNotNull()
  @LanguageField()
  language?: SignatoryLanguage;

  @ApiPropertyOptional({ enum: AUTHENTICATION_METHODS, example: 'email' })
  @OptionalNotNull()
  @AuthenticationField()
  authentication?: AuthenticationMethod;

  @ApiPropertyOptional({ enum: REQUESTED_SIGNATURE_LEVELS, example: 'advanced', description: LEVEL_DESCRIPTION })
  @OptionalNotNull()
  @SignatureLevelField()
  signature_level?: RequestedSignatureLevel;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: 'b3c1f4a2-9d7e-4c1a-8f0b-2e6d5a4c3b21', description: 'Only for the `advanced` level (400 otherwise); null clears it, and leaving the advanced level clears it too' })
  @IsOptional()
  @IdentityProviderUidField()
  identity_provider_uid?: string | null;
}
