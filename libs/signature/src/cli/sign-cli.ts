/*
 * Prepares and signs a PDF with the development PKI, for operators and debugging:
 *
 *   npm run sign -- in.pdf out.pdf --name "Zoë Łukasiewicz" [--advanced --email zoe@example.com]
 *
 * The PKI directory is PKI_DIR (default var/pki) and its keys are encrypted under PKI_MASTER_KEY
 * (default: a fixed development value, never to be used in production).
 */
import { createHash } from 'crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'fs';
import { resolve } from 'path';
import { inspectAndNormalize } from '../engine/inspect';
import { prepareDocument } from '../engine/prepare';
import { signDocument } from '../engine/sign';
import { PkiService } from '../pki/pki.service';
import { DocumentRejectedError, PrepareSignatory } from '../signature-engine.types';

const DEVELOPMENT_MASTER_KEY = 'secusign-development-master-key';
const USAGE = `Usage: npm run sign -- IN.pdf OUT.pdf [--name "Firstname Lastname"] [--advanced --email ADDRESS]

Prepares IN.pdf (signature-certificate page and one signature field) and signs it with the
development PKI, then writes OUT.pdf.
  --name      signatory name drawn on the page (default "Test Signatory")
  --advanced  sign with a short-lived certificate issued to the signatory instead of the seal
  --email     e-mail address in that certificate (required with --advanced)
Environment: PKI_DIR (default var/pki), PKI_MASTER_KEY (development default if unset).`;

interface CliArguments {
  input: string;
  output: string;
  name: string;
  advanced: boolean;
  email?: string;
}

function parseArguments(argv: string[]): CliArguments {
  const positional: string[] = [];
  let name = 'Test Signatory';
  let advanced = false;
  let email: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--name') name = argv[++i] ?? '';
    else if (argument === '--advanced') advanced = true;
    else if (argument === '--email') email = argv[++i];
    else if (argument === '--help' || argument === '-h') throw new Error(USAGE);
    else positional.push(argument);
  }
  if (positional.length !== 2) throw new Error(USAGE);
  if (advanced && !email) throw new Error('--advanced needs --email ADDRESS');
  return { input: positional[0], output: positional[1], name: name.trim() || 'Test Signatory', advanced, email };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const masterKey = process.env.PKI_MASTER_KEY ?? DEVELOPMENT_MASTER_KEY;
  if (!process.env.PKI_MASTER_KEY) console.error('PKI_MASTER_KEY is not set: using the development master key.');
  const pki = new PkiService({
    production: false,
    directory: resolve(process.env.PKI_DIR ?? 'var/pki'),
    masterKey,
  });
  pki.init();

  const upload = readFileSync(options.input);
  const normalized = await inspectAndNormalize(upload);
  const [firstname, ...rest] = options.name.split(/\s+/);
  const signatory: PrepareSignatory = {
    fieldName: 'Signature1',
    firstname,
    lastname: rest.join(' '),
    signatureLevel: options.advanced ? 'advanced' : 'simple',
    authentication: 'email',
    language: 'EN',
  };
  const prepared = prepareDocument({
    bytes: normalized.bytes,
    documentName: options.input.split(/[\\/]/).pop() ?? options.input,
    documentSha256: normalized.originalSha256,
    transactionUid: `cli_${createHash('sha256').update(upload).digest('hex').slice(0, 16)}`,
    signatories: [signatory],
  });

  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const signer = options.advanced
    ? (await pki.issueSignatoryCertificate({ firstname, lastname: signatory.lastname, email: options.email!, signingTime: signedAt }))
        .signer
    : pki.sealSigner();
  const result = await signDocument({
    bytes: prepared.bytes,
    fieldName: signatory.fieldName,
    signer,
    signedAt,
    appearance: {
      signerName: options.name,
      signatureLevel: signatory.signatureLevel,
      authentication: 'email',
      maskedDestination: options.email ? `${options.email[0]}•••@${options.email.split('@')[1] ?? ''}` : 'n/a',
      language: 'EN',
    },
  });
  const [input, appended] = result.chunks();
  writeFileSync(options.output, input);
  appendFileSync(options.output, appended);
  console.log(
    [
      `Wrote ${options.output} (${result.size} bytes)`,
      `upload: ${normalized.inspection.pages} pages, normalization ${normalized.inspection.normalization}`,
      `certificate page: ${prepared.certificatePage}`,
      `signer: ${result.certificateSubject}, serial ${result.certificateSerial}`,
      `SHA-256 after signing: ${result.sha256After}`,
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof DocumentRejectedError) console.error(`Rejected (${error.reason}): ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
