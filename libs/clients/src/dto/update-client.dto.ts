import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { CreateClientDto } from './create-client.dto';

/** Branding fields to change: an absent field is kept, `null` clears it. */
export class UpdateClientDto extends PartialType(CreateClientDto) {
  @ApiPropertyOptional({ example: 'Acme Leasing (production)', minLength: 1, maxLength: 200 })
  @ValidateIf((dto: UpdateClientDto) => dto.name !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  override name?: string;
}
