export type { CertificateBlock, CertificatePage, CertificatePageInput, InvisibleFieldsResources } from './certificate-page';
export { MAX_SIGNATORIES, PAGE_HEIGHT, PAGE_WIDTH, buildCertificatePage, buildInvisibleFieldsResources } from './certificate-page';
export { BLOCK_HEIGHT, BLOCK_WIDTH } from './block-layout';
export { STATIC_XOBJECT_PREFIX } from './block-static';
export type { SignedAppearanceInput } from './signed-appearance';
export { DYNAMIC_FONT_RESOURCE, buildSignedAppearance, formatSigningTime } from './signed-appearance';
export { maskEmail, maskPhone } from './masking';
