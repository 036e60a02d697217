import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { PageResponse } from '@secusign/http';
import { TransactionStatus } from '../transaction-status';

/** Name of the signatory schema, registered by the signatories controller. */
export const SIGNATORY_SCHEMA = 'SignatoryResponse';

const TIMESTAMP = '2024-01-27T08:45:54.000000Z';

export class TransactionDocumentResponse {
  @ApiProperty({ type: String, nullable: true, example: 'lease.pdf', description: 'File name given at upload (or `document.pdf`), without path, control or bidirectional characters, at most 200 characters, ending in `.pdf`' })
  filename!: string | null;

  @ApiProperty({ example: 183442, description: 'Size in bytes' })
  size!: number;

  @ApiProperty({ type: Number, nullable: true, example: 4, description: 'Page count' })
  pages!: number | null;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'Lowercase hex SHA-256 of the stored PDF' })
  sha256!: string;

  @ApiProperty({
    enum: ['appended', 'in_evidence'],
    nullable: true,
    example: 'appended',
    description:
      'Set when the transaction is sent: `appended` when the signature-certificate page is added to the PDF, ' +
      '`in_evidence` when the upload already carried a signature that an added page would break.',
  })
  certificate_page!: 'appended' | 'in_evidence' | null;

  @ApiProperty({
    enum: ['none', 'repaired', 'decrypted'],
    example: 'none',
    description:
      'What was done to the upload before storing it: `repaired` for a damaged but repairable file, `decrypted` for a file encrypted ' +
      'with an empty user password. The normalized file is what gets prepared and signed; `?version=original` returns the upload as received.',
  })
  normalization!: 'none' | 'repaired' | 'decrypted';

  @ApiProperty({
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    description: 'Lowercase hex SHA-256 of the upload as received; equal to `sha256` when `normalization` is `none`',
  })
  original_sha256!: string;
}

/** A transaction body. */
export class TransactionResponse {
  @ApiProperty({ format: 'uuid', example: '5c7955f7-fe96-48c7-bff3-d621f7482b8b' })
  uid!: string;

  @ApiProperty({
    enum: TransactionStatus,
    example: 'created',
    description: '`created` (being prepared) → `sent` (signatories can sign) → `completed` (everyone signed); `cancel` from `created` or `sent`',
  })
  status!: TransactionStatus;

  @ApiProperty({ type: String, nullable: true, example: 'Lease 2024-117' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://client.example/hooks/secusign' })
  webhook_url!: string | null;

  @ApiProperty({ type: TransactionDocumentResponse, nullable: true, description: 'The uploaded PDF; null until one is uploaded' })
  document!: TransactionDocumentResponse | null;

  @ApiProperty({ type: 'array', items: { $ref: getSchemaPath(SIGNATORY_SCHEMA) }, description: 'Signatories in signing-position order' })
  signatories!: object[];

  @ApiProperty({ example: TIMESTAMP })
  created_at!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: TIMESTAMP })
  sent_at!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  completed_at!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  cancelled_at!: string | null;

  @ApiPropertyOptional({ description: 'Once `completed`: temporary link to the signed PDF, usable without credentials until `download_expires_at`' })
  signed_document_url?: string;

  @ApiPropertyOptional({ description: 'Once `completed`: temporary link to the JSON evidence file, usable without credentials until `download_expires_at`' })
  evidence_url?: string;

  @ApiPropertyOptional({ example: TIMESTAMP, description: 'Expiry of both links, `DOWNLOAD_LINK_TTL_MINUTES` (15 by default) after the response' })
  download_expires_at?: string;
}

export class TransactionPageResponse extends PageResponse {
  @ApiProperty({ type: [TransactionResponse] })
  data!: TransactionResponse[];
}
