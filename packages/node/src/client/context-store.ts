// Where the current request's scope lives: AsyncLocalStorage when the runtime has one, else nowhere.

/** The part of AsyncLocalStorage the client uses. */
export interface ContextStore<T> {
  run<R>(value: T, fn: () => R): R;
  getStore(): T | undefined;
}

type StoreClass = new <T>() => ContextStore<T>;

interface MaybeNode {
  process?: { getBuiltinModule?: (id: string) => unknown };
  AsyncLocalStorage?: StoreClass;
}

/**
 * Found at call time, never imported, so this module loads on any runtime: Next.js edge and
 * Cloudflare (nodejs_compat) expose `globalThis.AsyncLocalStorage`; Node 20.16+ has
 * `process.getBuiltinModule`. A static `import 'node:async_hooks'` would make every bundler
 * for a Web-standard runtime fail on this file.
 */
function findStoreClass(): StoreClass | undefined {
  const g = globalThis as MaybeNode;
  if (typeof g.AsyncLocalStorage === 'function') return g.AsyncLocalStorage;
  try {
    const hooks = g.process?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: StoreClass } | undefined;
    return hooks?.AsyncLocalStorage;
  } catch {
    // Next.js edge's `process` throws on any Node API it lacks, even on reading it.
    return undefined;
  }
}

/**
 * Without AsyncLocalStorage there is no safe implicit context: a module-level "current" value
 * would be read by another request's continuation (DESIGN L1). So `run` only calls `fn`,
 * `current()` is undefined, and callers pass the scope explicitly (`{ scope }` in TrackOptions).
 */
function explicitOnly<T>(): ContextStore<T> {
  return { run: (_value, fn) => fn(), getStore: () => undefined };
}

/** `implicit` is false when the runtime has no AsyncLocalStorage (scopes must be passed explicitly). */
export function createContextStore<T>(): { store: ContextStore<T>; implicit: boolean } {
  const StoreClass = findStoreClass();
  return StoreClass === undefined
    ? { store: explicitOnly<T>(), implicit: false }
    : { store: new StoreClass<T>(), implicit: true };
}
