import { DynamicModule, Module } from '@nestjs/common';
import { PkiService } from './pki/pki.service';
import { SIGNATURE_ENGINE_OPTIONS, SignatureEngineOptions, SignatureEngineService } from './signature-engine.service';

@Module({})
export class SignatureModule {
  /** Registers the engine and the PKI; the PKI loads (or, in development, generates) its keys at startup. */
  static forRoot(options: SignatureEngineOptions): DynamicModule {
    return {
      module: SignatureModule,
      providers: [
        { provide: SIGNATURE_ENGINE_OPTIONS, useValue: options },
        SignatureEngineService,
        {
          provide: PkiService,
          useFactory: (engineOptions: SignatureEngineOptions) => {
            const pki = new PkiService(engineOptions.pki);
            pki.init();
            return pki;
          },
          inject: [SIGNATURE_ENGINE_OPTIONS],
        },
      ],
      exports: [SignatureEngineService, PkiService],
    };
  }
}
