export type { DrawTextOptions, TextStyle } from './text-painter';
export { MISSING_CHARACTER_REPLACEMENT, TextPainter } from './text-painter';
export { DYNAMIC_FALLBACK_CHARACTER, encodeDynamicText, measureDynamicText, toDynamicCharset } from './dynamic-text';
export { embedDynamicFont } from './dynamic-font';
export type { FontFaceName } from './font-files';
export { fontFilePath } from './font-files';
export { describeCharacters, findUnrenderableCharacters, SUPPORTED_SCRIPTS_DESCRIPTION } from './coverage';
