import { parseBasicAuthorization } from './basic-credentials';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('splits at the first colon', () => {
    expect(parseBasicAuthorization(basic('cli_1:pa:ss:word'))).toEqual({ username: 'cli_1', password: 'pa:ss:word' });
  });

  it('accepts the scheme in any case', () => {
    expect(parseBasicAuthorization(`bAsIc ${Buffer.from('a:b').toString('base64')}`)).toEqual({ username: 'a', password: 'b' });
  });

  it('decodes UTF-8', () => {
    expect(parseBasicAuthorization(basic('admin:mötley'))).toEqual({ username: 'admin', password: 'mötley' });
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['another scheme', `Bearer ${Buffer.from('a:b').toString('base64')}`],
    ['the scheme alone', 'Basic'],
    ['no colon', basic('cli_1')],
    ['an empty user-id', basic(':secret')],
    ['an empty password', basic('cli_1:')],
    ['characters outside base64', 'Basic a:b'],
    ['two tokens', `Basic ${Buffer.from('a:b').toString('base64')} extra`],
    ['a truncated base64 quantum', 'Basic YWJjZ'],
  ])('rejects %s', (_case, header) => {
    expect(parseBasicAuthorization(header)).toBeNull();
  });
});
