import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isUUID, IsEmail, IsIn, IsString, IsUUID, Matches, MaxLength, registerDecorator, ValidateIf, ValidationArguments } from 'class-validator';
import {
  AUTHENTICATION_METHODS,
  E164_PATTERN,
  EMAIL_MAX_LENGTH,
  personNameProblem,
  REQUESTED_SIGNATURE_LEVELS,
  SIGNATORY_LANGUAGES,
} from '../signatory-fields';

/** First or last name: any script, kept byte-exact; see `personNameProblem`. */
export function IsPersonName(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPersonName',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => personNameProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} ${personNameProblem(args?.value)}`,
      },
    });
  };
}

/** Lets a field be absent, but not null: PATCH may omit a required field, never clear it. */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

export function EmailField(): PropertyDecorator {
  return applyDecorators(IsString(), MaxLength(EMAIL_MAX_LENGTH), IsEmail({}, { message: 'email must be a valid email address' }));
}

export function PhoneField(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(E164_PATTERN, { message: 'phone must be an E.164 number: 8 to 15 digits, not starting with 0, with or without a leading +' }),
  );
}

/** Language code, case-insensitive on input and stored in capitals. */
export function LanguageField(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value)),
    IsIn(SIGNATORY_LANGUAGES, { message: `language must be one of ${SIGNATORY_LANGUAGES.join(', ')}` }),
  );
}

export function AuthenticationField(): PropertyDecorator {
  return IsIn(AUTHENTICATION_METHODS, { message: `authentication must be one of ${AUTHENTICATION_METHODS.join(', ')}` });
}

export function SignatureLevelField(): PropertyDecorator {
  return IsIn(REQUESTED_SIGNATURE_LEVELS, { message: `signature_level must be one of ${REQUESTED_SIGNATURE_LEVELS.join(', ')}` });
}

export function IdentityProviderUidField(): PropertyDecorator {
  return IsUUID('all', { message: 'identity_provider_uid must be a UUID' });
}

/**
 * `identity_provider_uid` of a create body: a UUID when present, and present when
 * `signature_level` is `advanced`. One validator, so a missing value gets one message.
 */
export function IdentityProviderUidForLevel(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'identityProviderUidForLevel',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          value === undefined || value === null ? (args?.object as { signature_level?: string }).signature_level !== 'advanced' : typeof value === 'string' && isUUID(value, 'all'),
        defaultMessage: (args?: ValidationArguments) =>
          args?.value === undefined || args?.value === null ? 'identity_provider_uid is required for the advanced signature level' : 'identity_provider_uid must be a UUID',
      },
    });
  };
}
