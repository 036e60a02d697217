import { registerDecorator, ValidationArguments } from 'class-validator';

/**
 * Matches C0 and C1 control characters (NUL, tabs, line breaks, ESC…) and lone UTF-16
 * surrogates. None belongs in a label, and they break e-mail headers, XML and terminals.
 */
export const CONTROL_CHARACTER = /[\p{Cc}\p{Cs}]/u;

/** Returns whether `text` contains a control character or a lone surrogate. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** Rejects a string with a control character; other types are left to the field's other validators. */
export function NoControlCharacters(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'noControlCharacters',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasControlCharacter(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must not contain control characters such as line breaks, tabs or escape codes`,
      },
    });
  };
}
