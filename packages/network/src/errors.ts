/**
 * An error meant for a person: what went wrong, where (file, line, field) and, when we know it, what to do.
 * The CLI prints these without a stack trace; anything else is a bug and is reported as one.
 */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
