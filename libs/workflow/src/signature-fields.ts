/** Name of the empty signature field prepared for the signatory at `position`; unique in the document. */
export function signatureFieldName(position: number): string {
  return `SecuSign_Signature_${position}`;
}

/** Storage key of the prepared document; the random part keeps concurrent send attempts apart. */
export function preparedDocumentKey(transactionUid: string, attemptId: string): string {
  return `transactions/${transactionUid}/prepared-${attemptId}.pdf`;
}

/**
 * Storage key of the revision signed by the signatory at `position`. It is deterministic, so
 * a job retried after a crash overwrites the file an interrupted attempt left uncommitted.
 */
export function signedDocumentKey(transactionUid: string, position: number): string {
  return `transactions/${transactionUid}/signed-${position}.pdf`;
}
