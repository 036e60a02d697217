import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuthModule, CLIENT_DIRECTORY, ClientBasicStrategy } from '@secusign/auth';
import { Client } from './client.entity';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';

/** The admin clients API, the `ClientsService`, and the `client-basic` strategy that looks clients up. */
@Module({
  imports: [MikroOrmModule.forFeature([Client]), AuthModule],
  controllers: [ClientsController],
  providers: [ClientsService, { provide: CLIENT_DIRECTORY, useExisting: ClientsService }, ClientBasicStrategy],
  exports: [ClientsService],
})
export class ClientsModule {}
