import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { NO_CONTROL_CHARACTERS, PRIMARY_COLOR_PATTERN, SMS_SENDER_MESSAGE, SMS_SENDER_PATTERN } from './branding.validation';

export class CreateClientDto {
  @ApiProperty({ example: 'Acme Leasing (production)', description: 'Administrator\'s label for the client', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ type: String, example: 'Acme Leasing', nullable: true, description: 'Name shown to signatories; `name` when absent', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'display_name must not contain control characters' })
  display_name?: string | null;

  @ApiPropertyOptional({ type: String, example: '#0A5FFF', nullable: true, pattern: PRIMARY_COLOR_PATTERN.source, description: 'Accent color of the signing page' })
  @IsOptional()
  @IsString()
  @Matches(PRIMARY_COLOR_PATTERN, { message: 'primary_color must be a #RRGGBB color' })
  primary_color?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uri', example: 'https://acme.example/logo.png', nullable: true, description: 'HTTPS URL of the logo shown on the signing page', maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logo_url must be an https:// URL' })
  logo_url?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'ACME',
    nullable: true,
    pattern: SMS_SENDER_PATTERN.source,
    description: 'Sender ID of the SMS sent to signatories: 3–11 letters, digits or inner spaces with at least one letter, or 3–15 digits',
  })
  @IsOptional()
  @IsString()
  @Matches(SMS_SENDER_PATTERN, { message: SMS_SENDER_MESSAGE })
  sms_sender?: string | null;
}
