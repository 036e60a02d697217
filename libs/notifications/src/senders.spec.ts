import { normalizeRecipient } from './senders';

describe('normalizeRecipient', () => {
  it.each([
    ['+33 6 51 83 61 33', '33651836133'],
    ['33651836133', '33651836133'],
    [' John.Doo@Example.com ', 'john.doo@example.com'],
  ])('turns %j into %j', (input, expected) => {
    expect(normalizeRecipient(input)).toBe(expected);
  });
});
