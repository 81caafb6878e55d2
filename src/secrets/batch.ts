import { decodeBytes, NOTICE_TEXT } from './decode.ts';
import type { SecretEngine, UnitOutcome } from './engine.ts';
import type { ScanNotice, ScanUnit } from './types.ts';

// What is handed to an engine (in this thread or a worker): text already
// decoded (a diff's added lines), or the bytes of a file to decode there,
// so decoding runs in parallel too.

export type ScanInput =
  | { kind: 'unit'; unit: ScanUnit; notice?: ScanNotice['kind'] }
  | { kind: 'bytes'; path: string; commit?: string; bytes: Uint8Array };

export interface InputOutcome extends UnitOutcome {
  notice?: Omit<ScanNotice, 'path' | 'commit'>;
  bytes: number;
}

export async function scanInputs(
  engine: SecretEngine,
  inputs: readonly ScanInput[],
  maxFileSize: number,
): Promise<InputOutcome[]> {
  const outcomes: (InputOutcome | undefined)[] = [];
  const units: ScanUnit[] = [];
  const slots: number[] = [];
  for (const [index, input] of inputs.entries()) {
    if (input.kind === 'unit') {
      units.push(input.unit);
      slots.push(index);
      outcomes.push(
        input.notice
          ? {
              findings: [],
              inlineAccepted: 0,
              bytes: 0,
              notice: {
                kind: input.notice,
                message: NOTICE_TEXT[input.notice],
              },
            }
          : undefined,
      );
      continue;
    }
    const bytes = Buffer.from(
      input.bytes.buffer,
      input.bytes.byteOffset,
      input.bytes.byteLength,
    );
    const decoded = decodeBytes(bytes, maxFileSize);
    if (!decoded.ok) {
      outcomes.push({
        findings: [],
        inlineAccepted: 0,
        bytes: 0,
        notice: { kind: decoded.kind, message: decoded.message },
      });
      continue;
    }
    units.push({ path: input.path, commit: input.commit, text: decoded.text });
    slots.push(index);
    outcomes.push(
      decoded.notice
        ? {
            findings: [],
            inlineAccepted: 0,
            bytes: 0,
            notice: {
              kind: decoded.notice,
              message: NOTICE_TEXT[decoded.notice],
            },
          }
        : undefined,
    );
  }
  const results = await engine.scanUnits(units);
  results.forEach((result, i) => {
    const slot = slots[i]!;
    outcomes[slot] = {
      ...result,
      notice: outcomes[slot]?.notice,
      bytes: units[i]!.text.length,
    };
  });
  return outcomes as InputOutcome[];
}
