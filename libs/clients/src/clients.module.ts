import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Client } from './client.entity';

@Module({
  imports: [MikroOrmModule.forFeature([Client])],
})
export class ClientsModule {}
