import { AppConfig, parseDurationList } from '@secusign/config';
import { withJitter } from './webhook-dispatcher.service';

describe('webhook retry schedule', () => {
  it('retries first within a minute and for about three days', () => {
    const schedule = AppConfig.fromEnvironment({ NODE_ENV: 'test' }).webhookRetryScheduleMs;
    const totalHours = schedule.reduce((sum, delay) => sum + delay, 0) / 3_600_000;

    expect(schedule[0] * 1.2).toBeLessThan(60_000);
    expect(schedule).toEqual([...schedule].sort((a, b) => a - b));
    expect(totalHours).toBeGreaterThan(60);
    expect(totalHours).toBeLessThan(84);
  });

  it('parses milliseconds and unit suffixes', () => {
    expect(parseDurationList('100, 30s,2m,1h,1d')).toEqual([100, 30_000, 120_000, 3_600_000, 86_400_000]);
  });

  it('rejects a malformed schedule at boot', () => {
    expect(() => AppConfig.fromEnvironment({ NODE_ENV: 'test', WEBHOOK_RETRY_SCHEDULE: '30s,soon' })).toThrow('WEBHOOK_RETRY_SCHEDULE must be a comma-separated list');
  });

  describe(withJitter.name, () => {
    it.each([
      [0, 24_000],
      [0.5, 30_000],
      [1, 36_000],
    ])('spreads 30 s by ±20%% (random %p gives %p ms)', (random, expected) => {
      expect(withJitter(30_000, () => random)).toBe(expected);
    });
  });
});
