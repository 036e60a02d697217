import { SignResult } from '../signature-engine.types';

/** Signed revision kept as the unchanged input plus the appended update, joined only on request. */
export class SignedRevision implements SignResult {
  private joined: Buffer | undefined;

  constructor(
    private readonly input: Buffer,
    readonly appended: Buffer,
    readonly sha256Before: string,
    readonly sha256After: string,
    readonly certificateSerial: string,
    readonly certificateSubject: string,
  ) {}

  get size(): number {
    return this.input.length + this.appended.length;
  }

  chunks(): Buffer[] {
    return [this.input, this.appended];
  }

  get bytes(): Buffer {
    this.joined ??= Buffer.concat([this.input, this.appended], this.size);
    return this.joined;
  }
}
