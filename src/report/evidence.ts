// Evidence for compliance controls: named measurements over the ledger's
// events, each with a sample of the record ids that prove it. A measure is
// null when no record could produce it: "no evidence", never a zero made
// up to pass or fail a control.

import type { LedgerIntegrity, ReportEvent } from './events.ts';
import type { Period } from './period.ts';

/** Every measure a control mapping may name, with what it means. */
export const METRICS = {
  'decisions.total': 'Access decisions recorded (commits, pushes, commands)',
  'decisions.identifiedShare':
    'Share of access decisions that name the identity that acted',
  'trailers.validShare':
    'Share of checked commits with valid Agent/Task trailers',
  'pushes.refused': 'Pushes refused by the policy',
  'pushes.refusedWithActor': 'Share of refused pushes that name who pushed',
  'overrides.total': 'Verdicts someone overrode',
  'overrides.documentedShare':
    'Share of overrides naming who overrode and why (1 when none happened)',
  'protectedPaths.decisions': 'Decisions on paths the policy protects',
  'secrets.scans': 'Secret scans recorded',
  'secrets.findings': 'Secret findings recorded',
  'secrets.unresolved':
    'Secret findings still open (not blocked, revoked, rotated or dismissed)',
  'ledger.verified': 'The ledger verified: signatures, order and checkpoints',
  'ledger.checkpoint': 'A signed checkpoint covers the ledger',
  'ledger.anchored':
    'The verified ledger extends a checkpoint kept elsewhere (no rewritten history)',
  'ledger.recordsInPeriod': 'Records the ledger holds for the period',
  'keys.maxAgeDays': 'Age in days of the oldest signing key or secret in use',
  'keys.rotations': 'Keys or secrets rotated in the period',
  'protection.matches':
    'The latest protect --check found live protection matching the policy',
  'reviews.total': 'Merged pull requests with review records',
  'reviews.independentShare':
    'Share of merged pull requests approved by someone other than the author',
  'sla.attempts': 'Agent operations measured for the SLA',
} as const;

export type MetricName = keyof typeof METRICS;

export interface Measure {
  value: number | boolean | null;
  records: string[];
  recordsTotal: number;
}

const SAMPLE = 20;

/** A count with the first ids that make it up. */
class Proof {
  count = 0;
  readonly ids: string[] = [];

  add(id: string): void {
    this.count += 1;
    if (this.ids.length < SAMPLE) this.ids.push(id);
  }
}

const DAY = 86_400_000;

export class EvidenceAccumulator {
  readonly #period: Period;
  readonly #decisions = new Proof();
  readonly #identified = new Proof();
  readonly #trailerChecks = new Proof();
  readonly #trailerFailures = new Proof();
  readonly #pushesRefused = new Proof();
  readonly #pushesRefusedNamed = new Proof();
  readonly #overrides = new Proof();
  readonly #overridesDocumented = new Proof();
  readonly #protectedPaths = new Proof();
  readonly #secretScans = new Proof();
  readonly #findings = new Proof();
  readonly #unresolved = new Proof();
  readonly #rotations = new Proof();
  readonly #reviews = new Proof();
  readonly #independent = new Proof();
  readonly #operations = new Proof();
  readonly #inPeriod = new Proof();
  /** Keys in use: id -> when it was made or last rotated, and by which record. */
  readonly #keys = new Map<string, { since: number; record: string }>();
  #protection: { time: number; matches: boolean; record: string } | undefined;

  constructor(period: Period) {
    this.#period = period;
  }

  /** Feeds an event from anywhere before the period's end. */
  add(event: ReportEvent): void {
    if (event.time >= this.#period.until) return;
    // Key ages and the latest protection check are states: they build up
    // from records older than the period.
    if (event.type === 'key') this.#key(event);
    if (event.type === 'protection') this.#protectionCheck(event);
    if (event.time < this.#period.since) return;

    this.#inPeriod.add(event.id);
    switch (event.type) {
      case 'decision':
        this.#decision(event);
        break;
      case 'secret':
        this.#findings.add(event.id);
        if (event.resolution === 'open') this.#unresolved.add(event.id);
        break;
      case 'key':
        if (event.change === 'rotate') this.#rotations.add(event.id);
        break;
      case 'review':
        this.#reviews.add(event.id);
        if (event.independent) this.#independent.add(event.id);
        break;
      case 'operation':
        this.#operations.add(event.id);
        break;
      default:
    }
  }

  #decision(event: Extract<ReportEvent, { type: 'decision' }>): void {
    this.#decisions.add(event.id);
    if (event.actor !== undefined) this.#identified.add(event.id);
    if (event.check === 'trailers') {
      this.#trailerChecks.add(event.id);
      if (event.decision === 'deny') this.#trailerFailures.add(event.id);
    }
    if (event.check === 'secrets') this.#secretScans.add(event.id);
    if (event.protectedPath) this.#protectedPaths.add(event.id);
    if (event.action === 'push' && event.decision === 'deny') {
      this.#pushesRefused.add(event.id);
      if (event.actor !== undefined) this.#pushesRefusedNamed.add(event.id);
    }
    if (event.override) {
      this.#overrides.add(event.id);
      if (event.override.by && event.override.reason) {
        this.#overridesDocumented.add(event.id);
      }
    }
  }

  #key(event: Extract<ReportEvent, { type: 'key' }>): void {
    // A rotation retires the key it replaces; a revocation ends one.
    if (event.previous !== undefined) this.#keys.delete(event.previous);
    if (event.change === 'revoke') this.#keys.delete(event.keyId);
    else this.#keys.set(event.keyId, { since: event.time, record: event.id });
  }

  #protectionCheck(event: Extract<ReportEvent, { type: 'protection' }>): void {
    if (this.#protection && this.#protection.time > event.time) return;
    this.#protection = {
      time: event.time,
      matches: event.matches,
      record: event.id,
    };
  }

  /** The measures, given the ledger verifier's verdict. */
  measures(integrity: LedgerIntegrity): Record<MetricName, Measure> {
    const count = (p: Proof): Measure => ({
      value: p.count,
      records: p.ids,
      recordsTotal: p.count,
    });
    // Activity counts: zero activity is no evidence, not a measured zero.
    const activity = (p: Proof): Measure => (p.count === 0 ? none() : count(p));
    const share = (part: Proof, whole: Proof, proof = whole): Measure =>
      whole.count === 0
        ? none()
        : {
            value: part.count / whole.count,
            records: proof.ids,
            recordsTotal: proof.count,
          };
    const decided = this.#decisions.count > 0;
    const oldestKey = [...this.#keys.values()].sort(
      (a, b) => a.since - b.since,
    )[0];
    const passedTrailers =
      this.#trailerChecks.count - this.#trailerFailures.count;
    const verdict =
      integrity.status === 'not-verified'
        ? null
        : integrity.status === 'verified';

    return {
      'decisions.total': activity(this.#decisions),
      'decisions.identifiedShare': share(this.#identified, this.#decisions),
      'trailers.validShare':
        this.#trailerChecks.count === 0
          ? none()
          : {
              value: passedTrailers / this.#trailerChecks.count,
              // The failures are what an auditor wants to open first.
              records: [
                ...this.#trailerFailures.ids,
                ...this.#trailerChecks.ids,
              ].slice(0, SAMPLE),
              recordsTotal: this.#trailerChecks.count,
            },
      'pushes.refused': decided ? count(this.#pushesRefused) : none(),
      'pushes.refusedWithActor': share(
        this.#pushesRefusedNamed,
        this.#pushesRefused,
      ),
      'overrides.total': decided ? count(this.#overrides) : none(),
      'overrides.documentedShare': !decided
        ? none()
        : this.#overrides.count === 0
          ? { value: 1, records: [], recordsTotal: 0 }
          : share(this.#overridesDocumented, this.#overrides),
      'protectedPaths.decisions': decided
        ? count(this.#protectedPaths)
        : none(),
      'secrets.scans': activity(this.#secretScans),
      'secrets.findings':
        this.#secretScans.count + this.#findings.count === 0
          ? none()
          : count(this.#findings),
      'secrets.unresolved':
        this.#secretScans.count + this.#findings.count === 0
          ? none()
          : count(this.#unresolved),
      'ledger.verified': { value: verdict, records: [], recordsTotal: 0 },
      'ledger.checkpoint': {
        value: verdict === null ? null : integrity.checkpoint !== undefined,
        records: [],
        recordsTotal: 0,
      },
      'ledger.anchored': {
        value: verdict === null ? null : integrity.anchored === true,
        records: [],
        recordsTotal: 0,
      },
      'ledger.recordsInPeriod': activity(this.#inPeriod),
      'keys.maxAgeDays': oldestKey
        ? {
            value: Math.floor((this.#period.until - oldestKey.since) / DAY),
            records: [oldestKey.record],
            recordsTotal: 1,
          }
        : none(),
      'keys.rotations': this.#keys.size === 0 ? none() : count(this.#rotations),
      'protection.matches': this.#protection
        ? {
            value: this.#protection.matches,
            records: [this.#protection.record],
            recordsTotal: 1,
          }
        : none(),
      'reviews.total': activity(this.#reviews),
      'reviews.independentShare': share(this.#independent, this.#reviews),
      'sla.attempts': activity(this.#operations),
    };
  }
}

function none(): Measure {
  return { value: null, records: [], recordsTotal: 0 };
}
