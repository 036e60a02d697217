/** Signatory status values of the public contract, in the order a signatory walks them. */
export enum SignatoryStatus {
  Created = 'created',
  Identified = 'identified',
  Authenticated = 'authenticated',
  Signed = 'signed',
}
