import {
  attemptsLeftOf,
  codeStateOf,
  decideSend,
  OTP_POLICY,
  OtpTokenState,
  registerFailedAttempt,
  secondsBeforeNextSend,
  signingAuthorizationOf,
} from './otp-policy';

const T0 = new Date('2026-01-02T10:00:00.000Z');

function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

function token(overrides: Partial<OtpTokenState> = {}): OtpTokenState {
  return {
    createdAt: T0,
    expiresAt: at(300),
    failedAttempts: 0,
    deliveryFailedAt: null,
    verifiedAt: null,
    lockedAt: null,
    signingExpiresAt: null,
    consentedAt: null,
    ...overrides,
  };
}

describe('decideSend', () => {
  it('allows the first code', () => {
    expect(decideSend([], T0)).toEqual({ allowed: true });
  });

  it('rejects a resend within the cooldown', () => {
    expect(decideSend([T0], at(10))).toEqual({ allowed: false, reason: 'cooldown', retryAfterSeconds: 20 });
  });

  it('rounds the wait up to whole seconds', () => {
    expect(decideSend([T0], new Date(at(29).getTime() + 1))).toEqual({ allowed: false, reason: 'cooldown', retryAfterSeconds: 1 });
  });

  it('allows a resend once the cooldown is over', () => {
    expect(decideSend([T0], at(30))).toEqual({ allowed: true });
  });

  it('rejects a sixth code within the hour', () => {
    const sends = [at(0), at(60), at(120), at(180), at(240)];

    expect(decideSend(sends, at(600))).toEqual({ allowed: false, reason: 'rate_limit', retryAfterSeconds: 3000 });
  });

  it('allows a code once the oldest leaves the hour', () => {
    const sends = [at(0), at(60), at(120), at(180), at(240)];

    expect(decideSend(sends, at(3600))).toEqual({ allowed: true });
  });

  it('reports the longer wait when both limits apply', () => {
    const sends = [at(3590), at(60), at(120), at(180), at(240)];

    expect(decideSend(sends, at(3600))).toEqual({ allowed: false, reason: 'rate_limit', retryAfterSeconds: 60 });
  });

  it('reports the cooldown when it is the longer wait', () => {
    const sends = [at(0), at(60), at(120), at(180), at(3595)];

    expect(decideSend(sends, at(3600))).toEqual({ allowed: false, reason: 'cooldown', retryAfterSeconds: 25 });
  });

  it('ignores codes older than the hour', () => {
    const sends = [at(-4000), at(-3900), at(-3800), at(-3700), at(-3650)];

    expect(decideSend(sends, T0)).toEqual({ allowed: true });
  });

  it('follows a custom policy', () => {
    const policy = { ...OTP_POLICY, resendCooldownMs: 5_000, maxCodesPerWindow: 2 };

    expect(decideSend([T0], at(6), policy)).toEqual({ allowed: true });
    expect(decideSend([T0, at(6)], at(12), policy)).toEqual({ allowed: false, reason: 'rate_limit', retryAfterSeconds: 3588 });
  });
});

describe('secondsBeforeNextSend', () => {
  it('returns zero when a code may be sent', () => {
    expect(secondsBeforeNextSend([T0], at(45))).toBe(0);
  });

  it('returns the cooldown left', () => {
    expect(secondsBeforeNextSend([T0], at(1))).toBe(29);
  });
});

describe('codeStateOf', () => {
  it('is pending before expiry', () => {
    expect(codeStateOf(token(), at(299))).toBe('pending');
  });

  it('expires after five minutes', () => {
    expect(codeStateOf(token(), at(300))).toBe('expired');
  });

  it('reports a locked token even after expiry', () => {
    expect(codeStateOf(token({ lockedAt: at(10) }), at(400))).toBe('locked');
  });

  it('reports a verified token', () => {
    expect(codeStateOf(token({ verifiedAt: at(20), signingExpiresAt: at(620) }), at(30))).toBe('verified');
  });

  it('reports an undelivered token', () => {
    expect(codeStateOf(token({ deliveryFailedAt: at(1) }), at(2))).toBe('undelivered');
  });
});

describe('registerFailedAttempt', () => {
  it('counts down the attempts left', () => {
    expect(registerFailedAttempt(token())).toEqual({ failedAttempts: 1, attemptsLeft: 4, locked: false });
    expect(registerFailedAttempt(token({ failedAttempts: 3 }))).toEqual({ failedAttempts: 4, attemptsLeft: 1, locked: false });
  });

  it('locks on the fifth wrong code', () => {
    expect(registerFailedAttempt(token({ failedAttempts: 4 }))).toEqual({ failedAttempts: 5, attemptsLeft: 0, locked: true });
  });

  it('walks from five tries to a lock', () => {
    let state = token();
    const attemptsLeft: number[] = [];
    for (let attempt = 0; attempt < OTP_POLICY.maxFailedAttempts; attempt += 1) {
      const failure = registerFailedAttempt(state);
      state = { ...state, failedAttempts: failure.failedAttempts };
      attemptsLeft.push(failure.attemptsLeft);
    }

    expect(attemptsLeft).toEqual([4, 3, 2, 1, 0]);
    expect(attemptsLeftOf(state)).toBe(0);
  });
});

describe('signingAuthorizationOf', () => {
  const verified = token({ verifiedAt: at(60), signingExpiresAt: at(660) });

  it('is unverified before verification', () => {
    expect(signingAuthorizationOf(token(), at(61))).toBe('unverified');
  });

  it('is valid for ten minutes after verification', () => {
    expect(signingAuthorizationOf(verified, at(659))).toBe('valid');
  });

  it('expires after ten minutes', () => {
    expect(signingAuthorizationOf(verified, at(660))).toBe('expired');
  });

  it('stays consented after the window closes', () => {
    expect(signingAuthorizationOf({ ...verified, consentedAt: at(100) }, at(5000))).toBe('consented');
  });
});
