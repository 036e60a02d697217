/** HTML markup that is already safe to insert: produced by `html` or by `escapeHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** A value `html` accepts: text (escaped), safe markup (inserted as is), lists of either, or nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ESCAPES[character]);
}

/**
 * Tagged template for markup: every interpolated value is HTML-escaped unless it is SafeHtml,
 * so text from the database or from translation files can never inject elements or attributes.
 * Attribute values must be quoted in the template for the escaping to hold.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let output = strings[0];
  values.forEach((value, index) => {
    output += renderValue(value) + strings[index + 1];
  });

  return new SafeHtml(output);
}

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) {
    return '';
  }
  if (value instanceof SafeHtml) {
    return value.value;
  }
  if (Array.isArray(value)) {
    return value.map((item: HtmlValue) => renderValue(item)).join('');
  }

  return escapeHtml(String(value));
}

/**
 * Serializes data for a `<script type="application/json">` block. `JSON.stringify` leaves `<`
 * as is, so a string holding `</script>` would close the block early. Writing `<`, `>` and `&`
 * as `\u003c`-style escapes keeps the parsed JSON identical.
 */
export function jsonForScript(data: unknown): SafeHtml {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

  return new SafeHtml(json);
}
