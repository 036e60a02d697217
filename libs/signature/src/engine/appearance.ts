/*
 * Appearance functions used by prepare and sign. Points at the placeholder until the appearance
 * module (certificate page, fonts, signed blocks) exports the same functions.
 */
export {
  buildCertificatePage,
  buildInvisibleFieldsResources,
  buildSignedAppearance,
} from './appearance-stub';
