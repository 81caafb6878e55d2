import { inspect } from 'node:util';

/**
 * A secret value that does not show itself by accident: printing, logging
 * or serialising it yields a placeholder. Code that needs the value asks
 * for it by name with `reveal()`, which makes every use easy to find.
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, safe to print (never the value itself). */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `[secret from ${this.source}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Something that hands out one secret: an environment variable, a 0600
 * file, the output of a command, and later Vault or Doppler. Providers are
 * asked lazily, only when a secret is needed, and never cache it longer
 * than their caller holds it.
 */
export interface SecretProvider {
  /** Where the secret comes from, for messages: never the value. */
  readonly description: string;
  get(): Promise<Secret>;
}
