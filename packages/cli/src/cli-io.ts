// What a command may touch: its output streams and environment, injected so tests run commands in-process.

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** For `serve`: resolves when the process should stop (SIGINT/SIGTERM by default). */
  stopSignal?: Promise<void>;
  /** For `admin set-password`: where the password is read from (process.stdin by default). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** A usage problem: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_DB = './touchline.db';

export function databaseFrom(flag: string | undefined, env: CliIo['env']): string {
  return flag ?? env.TOUCHLINE_DATABASE_URL ?? env.TOUCHLINE_DB ?? DEFAULT_DB;
}
