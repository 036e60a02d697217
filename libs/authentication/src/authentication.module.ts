import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuthenticateToken } from './authenticate-token.entity';
import { Clock, SystemClock } from './clock';
import { OtpService } from './otp.service';

/** One-time passwords of signatories: issuing, verifying and their rate limits. */
@Module({
  imports: [MikroOrmModule.forFeature([AuthenticateToken])],
  providers: [OtpService, { provide: Clock, useClass: SystemClock }],
  exports: [OtpService, Clock],
})
export class AuthenticationModule {}
