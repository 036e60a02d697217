import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AdminBasicStrategy } from './strategies';
import { SecretVerifier } from './secret-verifier';

/**
 * Registers the `admin-basic` strategy and shares the secret verifier. The `client-basic`
 * strategy needs the client lookup, so the clients module registers it.
 */
@Module({
  imports: [PassportModule],
  providers: [AdminBasicStrategy, SecretVerifier],
  exports: [PassportModule, SecretVerifier],
})
export class AuthModule {}
