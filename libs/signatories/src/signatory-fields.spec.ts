import { E164_PATTERN, initialStatusOf, normalizePhone, personNameProblem } from './signatory-fields';
import { SignatoryStatus } from './signatory-status';

describe('personNameProblem', () => {
  it.each(['Zoë Łukasiewicz', 'Ἀλέξανδρος Παπαδόπουλος', 'Мария Иванова', 'דוד לוי', 'محمد الأحمد', '王小明', ' padded ', '𠜎𠜱'])('accepts %s', (name) => {
    expect(personNameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'must not be empty or only whitespace'],
    ['   ', 'must not be empty or only whitespace'],
    ['\u3000', 'must not be empty or only whitespace'],
    ['Jo\nhn', 'must not contain control characters'],
    ['Jo\u0000hn', 'must not contain control characters'],
    ['Jo\u0085hn', 'must not contain control characters'],
    ['Jo\ud800hn', 'must not contain control characters'],
    ['a'.repeat(101), 'must be at most 100 characters long'],
  ])('rejects %j', (name, problem) => {
    expect(personNameProblem(name)).toBe(problem);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(personNameProblem('𠜎'.repeat(100))).toBeNull();
    expect(personNameProblem('𠜎'.repeat(101))).toBe('must be at most 100 characters long');
  });

  it('rejects values that are not strings', () => {
    expect(personNameProblem(42)).toBe('must be a string');
  });
});

describe('E164_PATTERN', () => {
  it.each(['33651836133', '+33651836133', '12025550123', '+4915112345678', '12345678', '123456789012345'])('accepts %s', (phone) => {
    expect(E164_PATTERN.test(phone)).toBe(true);
  });

  it.each(['', '+', '0651836133', '+0651836133', '1234567', '1234567890123456', '+33 6 51 83 61 33', '33-651836133', '++33651836133', '3365183613a'])(
    'rejects %j',
    (phone) => {
      expect(E164_PATTERN.test(phone)).toBe(false);
    },
  );
});

describe('normalizePhone', () => {
  it('drops the leading plus', () => {
    expect(normalizePhone('+33651836133')).toBe('33651836133');
    expect(normalizePhone('33651836133')).toBe('33651836133');
  });
});

describe('initialStatusOf', () => {
  it('identifies simple signatories at once', () => {
    expect(initialStatusOf('simple')).toBe(SignatoryStatus.Identified);
    expect(initialStatusOf('advanced')).toBe(SignatoryStatus.Created);
  });
});
