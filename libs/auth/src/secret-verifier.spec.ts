import { SecretVerifier } from './secret-verifier';
import { hashSecret, verifySecret } from './secrets';

jest.mock('./secrets', () => {
  const actual = jest.requireActual<typeof import('./secrets')>('./secrets');

  return { ...actual, verifySecret: jest.fn(actual.verifySecret) };
});

const verifySecretCalls = jest.mocked(verifySecret);

describe('SecretVerifier', () => {
  let hash: string;

  beforeAll(async () => {
    hash = await hashSecret('right');
  });


  it('accepts the right secret', async () => {
    await expect(new SecretVerifier().verify('cli_1', 'right', hash)).resolves.toBe(true);
  });

  it('rejects a wrong secret', async () => {
    await expect(new SecretVerifier().verify('cli_1', 'wrong', hash)).resolves.toBe(false);
  });

  it('reuses a recent success without scrypt', async () => {
    const verifier = new SecretVerifier();
    await verifier.verify('cli_1', 'right', hash);
    verifySecretCalls.mockClear();

    await expect(verifier.verify('cli_1', 'right', hash)).resolves.toBe(true);
    expect(verifySecretCalls).not.toHaveBeenCalled();
  });

  it('checks again after a failure', async () => {
    const verifier = new SecretVerifier();
    await verifier.verify('cli_1', 'wrong', hash);
    verifySecretCalls.mockClear();

    await expect(verifier.verify('cli_1', 'wrong', hash)).resolves.toBe(false);
    expect(verifySecretCalls).toHaveBeenCalledTimes(1);
  });

  it('does not reuse a success for a new stored hash', async () => {
    const verifier = new SecretVerifier();
    await verifier.verify('cli_1', 'right', hash);
    const replaced = await hashSecret('new');

    await expect(verifier.verify('cli_1', 'right', replaced)).resolves.toBe(false);
  });

  it('runs scrypt for unknown identifiers', async () => {
    const verifier = new SecretVerifier();
    verifySecretCalls.mockClear();

    await verifier.verifyAgainstNothing('anything');
    expect(verifySecretCalls).toHaveBeenCalledTimes(1);
  });
});
