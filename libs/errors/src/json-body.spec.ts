import { findJsonValueProblems, hasUnstorableCharacter } from './json-body';

describe('hasUnstorableCharacter', () => {
  it.each([
    ['a\u0000b', true],
    ['\ud800', true],
    ['\udc00', true],
    ['\udc00\ud800', true],
    ['x\ud83d', true],
    ['📄', false],
    ['\ud83d\udcc4', false],
    ['Zoë 合同 \t\n', false],
  ])('%j → %s', (text, expected) => {
    expect(hasUnstorableCharacter(text)).toBe(expected);
  });
});

describe('findJsonValueProblems', () => {
  it('returns null for an acceptable body', () => {
    expect(findJsonValueProblems({ name: 'x', list: [1, 'two', { three: null }] })).toBeNull();
  });

  it('reports every bad value in body order', () => {
    const problems = findJsonValueProblems({ a: 'ok', b: '\u0000', c: [{ d: '\ud800' }] });

    expect(Object.keys(problems ?? {})).toEqual(['b', 'c.0.d']);
  });

  it('walks a nesting far deeper than the call stack without throwing', () => {
    let value: unknown = [];
    for (let index = 0; index < 200_000; index += 1) {
      value = [value];
    }

    // The body object is level 1 and `a` level 2, so level 33 is the array at `a` plus 31 indexes.
    const firstTooDeep = ['a', ...Array<string>(31).fill('0')].join('.');

    expect(findJsonValueProblems({ a: value })).toEqual({ [firstTooDeep]: ['is nested deeper than 32 levels of objects and arrays'] });
  });

  it('accepts exactly the maximum depth', () => {
    expect(findJsonValueProblems({ a: { b: { c: 1 } } }, 3)).toBeNull();
    expect(findJsonValueProblems({ a: { b: { c: {} } } }, 3)).not.toBeNull();
  });
});
