export * from './authenticate-token.entity';
export * from './authentication.errors';
export * from './authentication.module';
export * from './clock';
export * from './otp-code';
export * from './otp-policy';
export * from './otp.service';
