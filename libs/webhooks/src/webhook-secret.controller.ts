import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '@secusign/auth';
import { ProblemDetails } from '@secusign/errors';
import { ClientWebhookSecrets, RotatedWebhookSecret } from './client-webhook-secrets.service';

class RotatedWebhookSecretResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The new secret, shown only in this response' })
  webhook_secret!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Until then each webhook also carries a signature made with the replaced secret' })
  previous_secret_expires_at!: string | null;
}

@ApiTags('Administration: clients')
@AdminAuth()
@Controller('admin/clients/:uid/webhook-secret')
export class WebhookSecretController {
  constructor(private readonly secrets: ClientWebhookSecrets) {}

  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a client\'s webhook secret',
    description: 'During the overlap (`WEBHOOK_SECRET_OVERLAP_HOURS`, 24 by default) `webhook-signature` contains two space-separated signatures, new secret first.',
  })
  @ApiOkResponse({ type: RotatedWebhookSecretResponse })
  @ApiNotFoundResponse({ description: 'No client has this uid', type: ProblemDetails })
  rotate(@Param('uid') uid: string): Promise<RotatedWebhookSecret> {
    return this.secrets.rotate(uid);
  }
}
