import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Signatory } from './signatory.entity';

@Module({
  imports: [MikroOrmModule.forFeature([Signatory])],
})
export class SignatoriesModule {}
