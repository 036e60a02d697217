import { Global, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EvidenceModule } from '@secusign/evidence';
import { IdentityProviderCheck } from '@secusign/signatories';
import { IdentityProvidersController } from './admin/identity-providers.controller';
import { IdentityProvidersService } from './admin/identity-providers.service';
import { ApprovalsController } from './approvals/approvals.controller';
import { ApprovalsService } from './approvals/approvals.service';
import { IdentityApproval } from './approvals/identity-approval.entity';
import { IdentityProvider } from './identity-provider.entity';
import { PkiController } from './pki/pki.controller';
import { PkiPublicationService } from './pki/pki-publication.service';
import { SignerFactory } from './signing/signer-factory';

/**
 * Identity providers (admin API and approvals), the published CA certificates and CRL, and
 * the `SignerFactory` the signing worker uses. Global because the signatories module checks
 * providers and the signing module chooses signers without importing this one; the PKI comes
 * from the global workflow module.
 */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([IdentityProvider, IdentityApproval]), EvidenceModule],
  controllers: [IdentityProvidersController, ApprovalsController, PkiController],
  providers: [
    IdentityProvidersService,
    { provide: IdentityProviderCheck, useExisting: IdentityProvidersService },
    ApprovalsService,
    PkiPublicationService,
    SignerFactory,
  ],
  exports: [IdentityProvidersService, IdentityProviderCheck, SignerFactory],
})
export class IdentityProvidersModule {}
