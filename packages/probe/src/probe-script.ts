// Scripts: what each virtual browser requests, e.g. a login form first; loaded from a JS module.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { TouchlineError } from '@touchline/core';

/** What a script's `expect` sees. `json` is undefined unless the body parsed as JSON. */
export interface StepResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
  json: unknown;
}

export interface ProbeStep {
  method: string;
  /** Path and optional query, relative to the base URL's origin, e.g. `/login?next=/`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Run with nothing else of this browser in flight (e.g. a login post). @default false */
  sequential?: boolean;
  /** Returns a complaint, or null when the response is as expected. */
  expect?: (res: StepResponse) => string | null;
}

/** The browser a script is building steps for. `id` is its marker. */
export interface ProbeUser {
  id: string;
  index: number;
}

/** A browser replays its steps in order, from the top again, until its share of requests is used. */
export type ProbeScript = (user: ProbeUser) => ProbeStep[];

/** Without a script every browser loads the base URL's path. */
export function defaultScript(basePath: string): ProbeScript {
  return () => [{ method: 'GET', path: basePath }];
}

/** Imports a script module exporting `steps(user)`. Broken scripts are a usage error, so this throws. */
export async function loadScript(file: string): Promise<ProbeScript> {
  const url = pathToFileURL(resolve(file)).href;
  let mod: { steps?: unknown };
  try {
    mod = (await import(url)) as { steps?: unknown };
  } catch (error) {
    throw new TouchlineError(
      'probe_script',
      `cannot load probe script ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const steps = mod.steps;
  if (typeof steps !== 'function') {
    throw new TouchlineError(
      'probe_script',
      `probe script ${file} must export a function steps(user) returning an array of steps`,
    );
  }
  return (user) => {
    const list: unknown = steps(user);
    if (!Array.isArray(list) || list.length === 0) {
      throw new TouchlineError('probe_script', `probe script ${file}: steps(user) must return a non-empty array`);
    }
    return list as ProbeStep[];
  };
}
