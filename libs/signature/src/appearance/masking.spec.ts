import { maskEmail, maskPhone } from './masking';

describe('maskPhone', () => {
  it.each([
    ['33651836133', '+33 6•• •• •1 33'],
    ['+33651836133', '+33 6•• •• •1 33'],
    ['12025550143', '+1 2• •• •• •1 43'],
    ['447911123456', '+44 7• •• •• •4 56'],
    ['4915123456789', '+49 1•• •• •• •7 89'],
    ['3516123456', '+351 6•• •4 56'],
    ['6831234', '+683 •• 34'],
    ['3312345', '+33 ••• 45'],
    ['33123', '+33 •••'],
  ])('masks %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each(['', '+', '123', '33 6 51 83 61 33', '33-651836133', 'abc12345', '1234567890123456', '++33651836133'])(
    'rejects %j without echoing it',
    (input) => {
      expect(() => maskPhone(input)).toThrow('Invalid phone number');
      try {
        maskPhone(input);
      } catch (error) {
        if (input.length > 3) {
          expect((error as Error).message).not.toContain(input);
        }
      }
    },
  );
});

describe('maskEmail', () => {
  it.each([
    ['john.doo@example.com', 'j•••@example.com'],
    ['a@example.com', '•••@example.com'],
    ['Zoë@exämple.de', 'Z•••@exämple.de'],
    ['"odd@local"@example.org', '"•••@example.org'],
    [' jo@example.com ', 'j•••@example.com'],
  ])('masks %s', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });

  it.each(['', 'john', '@example.com', 'john@', 'jo hn@example.com', 'john@exa mple.com'])('rejects %j', (input) => {
    expect(() => maskEmail(input)).toThrow('Invalid email address');
  });
});
