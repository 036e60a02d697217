import { readFileSync } from 'node:fs';
import { createPublicKey, X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import type { SealedEvidence } from './evidence-content';
import { verifyEvidence } from './evidence-verifier';
import { parseEvidenceXml, validateEvidenceXml } from './evidence-xml';

const USAGE = `Usage: npm run verify-evidence -- FILE [--trusted-key KEY]

Checks a SecuSign evidence file (JSON or XML): every event's SHA-256 hash, the chain linking
them, the chain summary, and the seal with the public key embedded in the file. An XML file
must also be well formed and valid against evidence.xsd.
  --trusted-key KEY  also require the seal key to be KEY: a JWK (JSON), a PEM public key or a PEM
                     certificate such as the platform seal certificate
Exit status: 0 valid, 1 invalid, 2 unreadable file or wrong usage.`;

/** Evidence read from a file, or the reasons an XML file is not well formed or not schema-valid. */
type EvidenceFile = { evidence: SealedEvidence; schemaProblems: [] } | { evidence: null; schemaProblems: string[] };

/**
 * Reads an evidence file in either form; the XML form is recognized by its leading `<` and is
 * validated against evidence.xsd before it is parsed.
 */
export async function readEvidenceFile(path: string): Promise<EvidenceFile> {
  const text = readFileSync(path, 'utf8');
  if (!text.trimStart().startsWith('<')) {
    return { evidence: JSON.parse(text) as SealedEvidence, schemaProblems: [] };
  }
  const schemaProblems = await validateEvidenceXml(text);
  if (schemaProblems.length > 0) {
    return { evidence: null, schemaProblems: schemaProblems.map((problem) => `XML is not well formed or not valid against evidence.xsd: ${problem}`) };
  }

  return { evidence: parseEvidenceXml(text), schemaProblems: [] };
}

/** Reads a trusted key given as a JWK, a PEM public key or a PEM certificate (the platform seal's). */
function readTrustedKey(path: string): JWK {
  const text = readFileSync(path, 'utf8').trim();
  if (text.startsWith('{')) {
    return JSON.parse(text) as JWK;
  }
  const publicKey = text.includes('BEGIN CERTIFICATE') ? new X509Certificate(text).publicKey : createPublicKey(text);

  return publicKey.export({ format: 'jwk' }) as JWK;
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const keyIndex = args.indexOf('--trusted-key');
  const trustedKeyPath = keyIndex >= 0 ? args.splice(keyIndex, 2)[1] : undefined;
  if (args.length !== 1 || args[0].startsWith('-') || (keyIndex >= 0 && !trustedKeyPath)) {
    console.error(USAGE);

    return 2;
  }

  let file: EvidenceFile;
  let trustedKey: JWK | undefined;
  try {
    file = await readEvidenceFile(args[0]);
    trustedKey = trustedKeyPath ? readTrustedKey(trustedKeyPath) : undefined;
  } catch (error) {
    console.error(`Cannot read ${args[0]}: ${(error as Error).message}`);

    return 2;
  }
  if (file.evidence === null) {
    console.log(`INVALID: ${args[0]}`);
    for (const problem of file.schemaProblems) {
      console.log(`  - ${problem}`);
    }

    return 1;
  }

  const evidence = file.evidence;
  const result = await verifyEvidence(evidence, trustedKey);
  if (result.valid) {
    console.log(`VALID: ${args[0]}`);
    console.log(`  transaction ${evidence.transaction.uid}, ${result.eventCount} events, final hash ${result.finalHash}`);
    console.log(`  sealed by key ${result.sealKeyThumbprint}${trustedKey ? ' (the trusted key)' : ' (embedded in the file; pass --trusted-key to pin it)'}`);

    return 0;
  }
  console.log(`INVALID: ${args[0]}`);
  for (const problem of result.problems) {
    console.log(`  - ${problem}`);
  }

  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
