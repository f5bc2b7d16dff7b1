// `touchline funnels goal|create|list|report`: define goals and funnels and print a funnel's report, straight on the database.
import { parseArgs } from 'node:util';
import {
  defineFunnel,
  defineGoal,
  formatWindow,
  funnelReport,
  funnelReportCsv,
  funnelReportJson,
  toCsv,
  type Defined,
} from '@touchline/server';
import { openStorage, type Storage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const FUNNELS_HELP = `Usage: touchline funnels goal NAME --kind pageview|event|conversion --match PATTERN|NAME --account NAME [--db PATH|URL] [--json]
       touchline funnels create NAME --steps GOAL_ID,GOAL_ID[,...] [--window 7d] --account NAME [--db PATH|URL] [--json]
       touchline funnels list --account NAME [--db PATH|URL] [--json]
       touchline funnels report FUNNEL_ID --account NAME [--from ISO] [--to ISO] [--unit visitor|session] [--json|--csv] [--db PATH|URL]
  A pageview goal matches URL paths ('*' any characters, e.g. /checkout/*); event and conversion goals match a name.
  A report counts, per step, the visitors (or sessions) that did it after the previous step, within the window of
  their first step (in --from..--to, default the last 30 days), by the channel they entered from. See docs/funnels.md.`;

const DAY = 86_400_000;
const OPTIONS = {
  account: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  csv: { type: 'boolean', default: false },
  kind: { type: 'string' },
  match: { type: 'string' },
  steps: { type: 'string' },
  window: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  unit: { type: 'string', default: 'visitor' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

/** A definition refused with its reason: exit 1, the API's own message. */
function outcome<T>(io: CliIo, done: Defined<T>): T | null {
  if (done.kind === 'ok') return done.value;
  io.stderr.write(`touchline: ${done.message}\n`);
  return null;
}

function instant(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms))
    throw new UsageError(`funnels report: --${flag} "${value}" is not an ISO date or epoch milliseconds`);
  return ms;
}

async function report(
  storage: Storage,
  accountId: string,
  id: string | undefined,
  values: Values,
  io: CliIo,
): Promise<number> {
  if (id === undefined) throw new UsageError('funnels report: FUNNEL_ID is required (see touchline funnels list)');
  if (values.unit !== 'visitor' && values.unit !== 'session')
    throw new UsageError(`funnels report: --unit must be visitor or session, not "${values.unit}"`);
  const to = instant('to', values.to, Date.now());
  const range = { from: instant('from', values.from, to - 30 * DAY), to };
  if (range.from > range.to) throw new UsageError('funnels report: --from must not be after --to');
  const answer = await funnelReport(storage, { accountId, funnelId: id, ...range, unit: values.unit });
  if (answer === null) {
    io.stderr.write(`touchline: no funnel ${id} in this account\n`);
    return 1;
  }
  if (values.csv) {
    const csv = funnelReportCsv(answer);
    io.stdout.write(toCsv(csv.header, csv.rows));
    return 0;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(funnelReportJson(answer, range))}\n`);
    return 0;
  }
  const pct = (n: number | null): string => (n === null ? '-' : `${(n * 100).toFixed(2)}%`);
  io.stdout.write(
    `${answer.funnel.name} (${formatWindow(answer.funnel.windowMs)} window, by ${answer.unit})${answer.truncated ? ' [truncated]' : ''}\n`,
  );
  for (const s of answer.steps)
    io.stdout.write(
      `  ${s.step}. ${s.goal.name.padEnd(24)} ${String(s.count).padStart(8)}  ${pct(s.conversionRate).padStart(8)} of entries  ${pct(s.stepRate).padStart(8)} of previous\n`,
    );
  for (const c of answer.channels) io.stdout.write(`  ${(c.channel ?? '(none)').padEnd(27)} ${c.counts.join(' > ')}\n`);
  return 0;
}

async function run(
  storage: Storage,
  verb: string,
  accountId: string,
  positionals: string[],
  values: Values,
  io: CliIo,
): Promise<number> {
  const now = Date.now();
  const print = (text: string, json: unknown): number => {
    io.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
    return 0;
  };
  switch (verb) {
    case 'goal': {
      const goal = outcome(
        io,
        await defineGoal(
          storage,
          accountId,
          null,
          { name: positionals[0], kind: values.kind, match: values.match },
          now,
        ),
      );
      return goal === null ? 1 : print(`Created goal ${goal.id} (${goal.kind} ${goal.match}).`, goal);
    }
    case 'create': {
      const steps = values.steps?.split(',').map((s) => s.trim());
      const funnel = outcome(
        io,
        await defineFunnel(
          storage,
          accountId,
          null,
          { name: positionals[0], steps, ...(values.window ? { window: values.window } : {}) },
          now,
        ),
      );
      return funnel === null
        ? 1
        : print(
            `Created funnel ${funnel.id} (${funnel.steps.length} steps, ${formatWindow(funnel.windowMs)} window).`,
            funnel,
          );
    }
    case 'list': {
      const [goals, funnels] = await Promise.all([storage.listGoals(accountId), storage.listFunnels(accountId)]);
      const names = new Map(goals.map((g) => [g.id, g.name]));
      return print(
        [
          ...goals.map((g) => `goal   ${g.id}  ${g.name} (${g.kind} ${g.match})`),
          ...funnels.map(
            (f) =>
              `funnel ${f.id}  ${f.name} (${formatWindow(f.windowMs)}): ${f.steps.map((s) => names.get(s) ?? s).join(' > ')}`,
          ),
        ].join('\n') || 'No goals or funnels.',
        { goals, funnels },
      );
    }
    case 'report':
      return report(storage, accountId, positionals[0], values, io);
    default:
      throw new UsageError(`funnels: unknown action "${verb}" (expected goal, create, list or report)`);
  }
}

export async function funnelsCommand(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || !['goal', 'create', 'list', 'report'].includes(verb))
    throw new UsageError(`funnels: unknown action "${verb ?? ''}" (expected goal, create, list or report)`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: OPTIONS });
  const name = values.account?.trim();
  if (!name) throw new UsageError(`funnels ${verb}: --account NAME is required`);
  const storage = openStorage(databaseFrom(values.db, io.env));
  try {
    await storage.migrate();
    const account = await storage.findAccount(name);
    if (account === null) throw new UsageError(`funnels ${verb}: no account named "${name}"`);
    return await run(storage, verb, account.id, positionals, values, io);
  } finally {
    await storage.close();
  }
}
