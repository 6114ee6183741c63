import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  defaultDeliveryPolicy,
  deliveryPolicyFromEnv,
  deliveryPolicyVariables,
} from '#local/deliveries.ts';
import { EmulatorSetupError } from '#local/emulators.ts';

describe('the local delivery retry policy', () => {
  it('defaults to what the API destination target does in AWS: 185 retries within 24 hours, 5 s answers', () => {
    const policy = deliveryPolicyFromEnv({});
    expect(policy).toEqual(defaultDeliveryPolicy);
    expect(policy).toMatchObject({ maxRetries: 185, maxAgeMs: 86_400_000, timeoutMs: 5_000 });
  });

  it('is shrunk by environment variables (how the tests make hours take milliseconds)', () => {
    const policy = deliveryPolicyFromEnv({
      [deliveryPolicyVariables.maxRetries]: '3',
      [deliveryPolicyVariables.maxAgeSeconds]: '1.5',
      [deliveryPolicyVariables.firstRetryMs]: '10',
      [deliveryPolicyVariables.maxDelayMs]: '40',
      [deliveryPolicyVariables.timeoutMs]: '250',
    });
    expect(policy).toMatchObject({
      maxRetries: 3,
      maxAgeMs: 1_500,
      firstRetryMs: 10,
      maxDelayMs: 40,
      timeoutMs: 250,
    });
  });

  it('refuses a value that is not a number, with the variable named', () => {
    for (const [name, value] of [
      [deliveryPolicyVariables.maxRetries, '-1'],
      [deliveryPolicyVariables.maxRetries, '2.5'],
      [deliveryPolicyVariables.maxAgeSeconds, 'a day'],
      [deliveryPolicyVariables.timeoutMs, '0'],
    ] as const) {
      expect(() => deliveryPolicyFromEnv({ [name]: value })).toThrow(EmulatorSetupError);
      expect(() => deliveryPolicyFromEnv({ [name]: value })).toThrow(new RegExp(`${name} must be`));
    }
  });

  it('backs off exponentially from the first retry delay, capped, jittered between half and all of it', () => {
    const policy = { ...defaultDeliveryPolicy, firstRetryMs: 1_000, maxDelayMs: 300_000 };
    const ceilings = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000];
    ceilings.forEach((ceiling, index) => {
      const retry = index + 1;
      expect(backoffDelay(retry, policy, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(retry, policy, () => 0.999_999)).toBeCloseTo(ceiling, -1);
    });
    // 185 retries at the local cap span many hours, as the AWS policy does.
    let total = 0;
    for (let retry = 1; retry <= 185; retry++) total += backoffDelay(retry, policy, () => 0.5);
    expect(total / 3_600_000).toBeGreaterThan(10);
  });
});
