import pc from 'picocolors';

/** Prints an error the way every gitwarden command does: one prefix, a hint. */
export function printError(message: string, hint?: string): void {
  const lines = message.split('\n');
  for (const line of lines) console.error(`${pc.red('gitwarden:')} ${line}`);
  if (hint) console.error(`${pc.dim('hint:')} ${hint}`);
}

export function printWarning(message: string): void {
  console.error(`${pc.yellow('gitwarden: warning:')} ${message}`);
}

export { pc as colors };
