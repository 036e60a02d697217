import { Controller, Param, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemDetails } from '@secusign/errors';
import { requestMetadataOf } from '@secusign/http';
import { APPROVAL_MAX_AGE_SECONDS, APPROVAL_MAX_CLOCK_SKEW_SECONDS, JTI_MAX_LENGTH, VERIFICATION_MAX_BYTES } from './approval-claims';
import { ApprovalResponse } from './approval.dto';
import { NODE_APPROVAL_EXAMPLE, SHELL_APPROVAL_EXAMPLE } from './approval-examples';
import { ApprovalsService } from './approvals.service';
import { APPROVAL_BODY_MAX_BYTES, JOSE_MEDIA_TYPE, readJoseBody } from './jose-body';

const EXAMPLE_JWS =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6IjBmNWMxYzdlLTNhMWUtNGYwZS05YjhhLTJkNmY1YTdjOWUxMSIsInR5cCI6IkpXVCJ9.' +
  'eyJpZGVudGl0eV9wcm92aWRlcl91aWQiOiIwZjVjMWM3ZS0zYTFlLTRmMGUtOWI4YS0yZDZmNWE3YzllMTEiLCJzaWduYXRvcnlfdWlkIjoiOGE2ZmY5NmQtMTk2Zi00MGE0LTgwYWYtYWJlNGY2MWY3NDNiIiwiaWF0IjoxNzA2MzQ1MTUwLCJqdGkiOiI2ZjFlMmQzYy00YjVhLTY5NzgtOGE5Yi0wYzFkMmUzZjRhNWIifQ.' +
  'signature';

const DESCRIPTION = `The provider reports that it checked an \`advanced\` signatory's identity. The body is a compact JWS
(\`Content-Type: ${JOSE_MEDIA_TYPE}\`, at most ${APPROVAL_BODY_MAX_BYTES} bytes) signed with the provider's P-256 key:

- protected header: \`alg\` \`ES256\` (no other algorithm is accepted) and \`kid\` = the provider uid of the URL;
- payload: \`identity_provider_uid\` (the same uid), \`signatory_uid\`, \`iat\` (seconds since the epoch, at most
  ${APPROVAL_MAX_AGE_SECONDS} seconds old and at most ${APPROVAL_MAX_CLOCK_SKEW_SECONDS} seconds ahead), \`jti\` (1 to ${JTI_MAX_LENGTH} characters, never reused by the provider),
  and optionally \`verification\`: a JSON object of at most ${VERIFICATION_MAX_BYTES} bytes describing the check
  (\`method\`, \`document_type\`, \`checked_at\`…), kept as sent in the evidence. An \`exp\` claim is honored when present.

The signatory must be \`advanced\`, name this provider, still be \`created\`, and belong to a transaction that is
neither cancelled nor completed. On success the signatory becomes \`identified\`, the approval (with its
\`verification\`) joins the audit trail as \`identity.approved\`, and the \`signatory.identified\` webhook is sent.

An unknown provider uid is 404 \`identity_provider_not_found\`, like every unknown uid of this API.

**Node.js** (\`jose\` 5):

\`\`\`js
${NODE_APPROVAL_EXAMPLE}\`\`\`

**Shell** (OpenSSL; JWS needs the raw r||s signature, not the DER form that OpenSSL writes):

\`\`\`bash
${SHELL_APPROVAL_EXAMPLE}\`\`\``;

/** Approvals route of identity providers. The JWS itself authenticates the call, so there are no Basic credentials. */
@ApiTags('Identity providers')
@Controller('identity-providers/:identityProviderUid/approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Post()
  @ApiOperation({ summary: 'Approve a signatory\'s identity', description: DESCRIPTION })
  @ApiConsumes(JOSE_MEDIA_TYPE)
  @ApiBody({ schema: { type: 'string', example: EXAMPLE_JWS }, description: 'Compact JWS (ES256)' })
  @ApiCreatedResponse({ type: ApprovalResponse })
  @ApiBadRequestResponse({
    description: '`approval_malformed` (not a compact JWS), `approval_claims_invalid` (with `errors` per claim), `approval_from_future` (`iat` too far ahead: check the clock)',
    type: ProblemDetails,
  })
  @ApiUnauthorizedResponse({
    description: '`approval_signature_invalid` (not ES256, or not signed by the registered key), `approval_kid_mismatch`, `identity_provider_disabled`',
    type: ProblemDetails,
  })
  @ApiNotFoundResponse({ description: '`identity_provider_not_found` (the uid in the URL), `signatory_not_found`', type: ProblemDetails })
  @ApiConflictResponse({
    description: '`approval_stale` (`iat` older than 5 minutes, or `exp` passed), `approval_replayed` (`jti` already used), `signatory_already_identified`, `transaction_cancelled`, `transaction_completed`',
    type: ProblemDetails,
  })
  @ApiUnprocessableEntityResponse({ description: '`signatory_not_advanced`, `signatory_wrong_provider` (the signatory names another provider)', type: ProblemDetails })
  @ApiPayloadTooLargeResponse({ description: `The body is over ${APPROVAL_BODY_MAX_BYTES} bytes`, type: ProblemDetails })
  @ApiUnsupportedMediaTypeResponse({ description: `The content type is not \`${JOSE_MEDIA_TYPE}\``, type: ProblemDetails })
  async approve(@Param('identityProviderUid') identityProviderUid: string, @Req() request: Request): Promise<ApprovalResponse> {
    return this.approvals.approve(identityProviderUid, await readJoseBody(request), requestMetadataOf(request));
  }
}
