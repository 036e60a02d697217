import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { NO_CONTROL_CHARACTERS } from './branding.validation';
import { CreateClientDto } from './create-client.dto';

/** Branding fields to change: an absent field is kept, `null` clears it. */
export class UpdateClientDto extends PartialType(CreateClientDto) {
  @ApiPropertyOptional({ example: 'Acme Leasing (production)', minLength: 1, maxLength: 200 })
  @ValidateIf((dto: UpdateClientDto) => dto.name !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  override name?: string;
}
