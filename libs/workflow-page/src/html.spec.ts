import { escapeHtml, html, jsonForScript, SafeHtml } from './html';

describe('html', () => {
  it('escapes every interpolated string', () => {
    const name = `<script>alert("x")</script> & 'quotes' \`tick\``;

    const markup = html`<p title="${name}">${name}</p>`.value;

    expect(markup).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;tick&#96;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;tick&#96;</p>',
    );
  });

  it('inserts nested markup without escaping it again', () => {
    const inner = html`<b>${'a<b'}</b>`;

    expect(html`<p>${inner}</p>`.value).toBe('<p><b>a&lt;b</b></p>');
  });

  it('joins lists and drops empty values', () => {
    expect(html`<ul>${['<1>', html`<li>2</li>`]}${null}${undefined}${false}${0}</ul>`.value).toBe('<ul>&lt;1&gt;<li>2</li>0</ul>');
  });

  it('escapes ampersands first', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('jsonForScript', () => {
  it('keeps a closing script tag out of the block', () => {
    const data = { name: '</script><script>alert(1)</script>', other: 'a & b > c', separators: '\u2028\u2029' };

    const json = jsonForScript(data);

    expect(json).toBeInstanceOf(SafeHtml);
    expect(json.value).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json.value)).toEqual(data);
  });
});
