import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PkiPublicationService } from './pki-publication.service';

/** Public PKI material; no credentials, because relying parties check chains with it. */
@ApiTags('PKI')
@Controller('pki')
export class PkiController {
  constructor(private readonly publication: PkiPublicationService) {}

  @Get('ca.pem')
  @Header('Content-Type', 'application/pem-certificate-chain')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({
    summary: 'The CA certificates',
    description: 'The issuing CA then the root CA, PEM. Check an advanced signature\'s certificate with `openssl verify -CAfile ca.pem signatory.pem`.',
  })
  @ApiProduces('application/pem-certificate-chain')
  @ApiOkResponse({ description: 'PEM bundle', schema: { type: 'string' } })
  caBundle(): string {
    return this.publication.caBundlePem();
  }

  @Get('crl')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({
    summary: 'The issuing CA\'s certificate revocation list',
    description: 'DER (RFC 5280), signed by the issuing CA, valid 7 days. Read it with `openssl crl -inform DER -in issuing.crl -noout -text`.',
  })
  @ApiProduces('application/pkix-crl')
  @ApiOkResponse({ description: 'DER CRL', schema: { type: 'string', format: 'binary' } })
  async crl(): Promise<StreamableFile> {
    return new StreamableFile(await this.publication.issuingCrl(), { type: 'application/pkix-crl' });
  }
}
