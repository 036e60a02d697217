import { pipeline } from 'node:stream/promises';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { ProblemDetails } from '@secusign/errors';
import { DownloadsService } from './downloads.service';

@ApiTags('Downloads')
@Controller('downloads')
export class DownloadsController {
  constructor(private readonly downloads: DownloadsService) {}

  @Get(':token')
  @ApiOperation({
    summary: 'Download a signed document or evidence file',
    description: 'The `signed_document_url` and `evidence_url` of a completed transaction. No credentials: the signed, expiring token is the capability.',
  })
  @ApiOkResponse({ description: 'The signed PDF or the JSON evidence file', content: { 'application/pdf': {}, 'application/json': {} } })
  @ApiNotFoundResponse({ description: 'Altered or unknown link (`urn:secusign:problem:download_link_invalid`)', type: ProblemDetails })
  @ApiGoneResponse({ description: 'Expired link (`urn:secusign:problem:download_link_expired`)', type: ProblemDetails })
  async download(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const download = await this.downloads.open(token);
    response.setHeader('Content-Type', download.contentType);
    response.setHeader('Content-Disposition', contentDisposition(download.filename, { type: 'attachment' }));
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (Buffer.isBuffer(download.body)) {
      response.send(download.body);

      return;
    }
    // pipeline closes the file when the client goes away and raises read errors, which the
    // problem filter logs: a client abort at debug level, anything else at error level.
    await pipeline(download.body, response);
  }
}
