// Test-only Node module hooks: lets a plain `node` child process run this package's TypeScript sources without a build.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Like the vitest alias: core from its sources, so nothing has to be built first.
const CORE_SRC = new URL('../../../core/src/index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === '@touchline/core') return { url: CORE_SRC, shortCircuit: true };
  // Sources import './x.js' (NodeNext style); before a build only './x.ts' exists.
  if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js') && context.parentURL) {
    const source = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(source))
      return { url: source.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
