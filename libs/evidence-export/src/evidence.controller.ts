import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { ClientAuth, CurrentClient } from '@secusign/auth';
import type { Client } from '@secusign/clients';
import { ProblemDetails } from '@secusign/errors';
import { EvidenceExporter, EvidenceFile } from './evidence-exporter.service';

const FORMATS = ['json', 'xml', 'pdf'] as const;

class EvidenceQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS, { message: `format must be one of: ${FORMATS.join(', ')}` })
  format: (typeof FORMATS)[number] = 'json';
}

@ApiTags('Transactions')
@ClientAuth()
@Controller('transactions/:uid/evidence')
export class EvidenceController {
  constructor(private readonly exporter: EvidenceExporter) {}

  @Get()
  @ApiOperation({
    summary: 'Download the evidence file',
    description:
      'Every audit event of the transaction in order, with its SHA-256 hash chain, the transaction, document and signatory facts (phone numbers masked), ' +
      'sealed by the platform key with a detached JWS. Available at any status. The XML form follows `evidence.xsd`; `npm run verify-evidence -- FILE` checks either form. ' +
      '`pdf` is a readable report in the first signatory\'s language, sealed with a PAdES signature by the platform seal.',
  })
  @ApiOkResponse({ description: 'The sealed evidence file', content: { 'application/json': {}, 'application/xml': {}, 'application/pdf': {} } })
  @ApiNotFoundResponse({ description: 'Unknown transaction, or one of another client', type: ProblemDetails })
  async download(@CurrentClient() client: Client, @Param('uid') uid: string, @Query() query: EvidenceQuery, @Res() response: Response): Promise<void> {
    sendEvidenceFile(response, await this.exporter.exportForClient(client.uid, uid, query.format));
  }
}

/** Writes an evidence file as an attachment. */
export function sendEvidenceFile(response: Response, file: EvidenceFile): void {
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
  response.setHeader('Cache-Control', 'no-store');
  response.send(file.body);
}
