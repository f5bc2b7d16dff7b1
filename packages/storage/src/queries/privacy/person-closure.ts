// The rule for who "the person" is: every visitor and user id reachable from the subject through identify links.
//
// From a visitor id: the user ids it was identified as, every visitor identified as one of those,
// their user ids, and so on until nothing new is found (the rule personSessions uses for journeys).
// From a user id: the same walk started at that user id. So erasing a user who logged in on a phone
// and a laptop erases both devices' anonymous browsing too, and erasing one of those devices erases
// the user and the other device: a device identified as someone is that someone's data. A visitor
// id aliased to another (racing first navigations of one browser, DESIGN.md L10) is the same browser,
// so the walk follows visitor_aliases both ways too.
import type { Plan } from './person-step.js';

export interface Person {
  visitors: Set<string>;
  users: Set<string>;
}

const USERS_OF = {
  sqlite:
    'SELECT DISTINCT user_id AS id FROM identities WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT DISTINCT user_id AS id FROM identities WHERE account_key = $1 AND visitor_id = ANY($2::text[])',
};
const VISITORS_OF = {
  sqlite:
    'SELECT DISTINCT visitor_id AS id FROM identities WHERE account_key = ? AND user_id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT DISTINCT visitor_id AS id FROM identities WHERE account_key = $1 AND user_id = ANY($2::text[])',
};

const ALIASES_OF = {
  sqlite: `SELECT ghost_id AS id FROM visitor_aliases WHERE account_key = ? AND canonical_id IN (SELECT value FROM json_each(?))
    UNION SELECT canonical_id AS id FROM visitor_aliases WHERE account_key = ? AND ghost_id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT ghost_id AS id FROM visitor_aliases WHERE account_key = $1 AND canonical_id = ANY($2::text[])
    UNION SELECT canonical_id AS id FROM visitor_aliases WHERE account_key = $3 AND ghost_id = ANY($4::text[])`,
};

/** Grows `person` in place to its closure; each round looks up only the ids found in the round before. */
export function* personClosure(accountKey: number, person: Person): Plan<Person> {
  let newVisitors = [...person.visitors];
  let newUsers = [...person.users];
  while (newVisitors.length > 0 || newUsers.length > 0) {
    const users = newVisitors.length === 0 ? [] : (yield { ...USERS_OF, params: [accountKey, newVisitors] }).rows;
    const visitors = newUsers.length === 0 ? [] : (yield { ...VISITORS_OF, params: [accountKey, newUsers] }).rows;
    const aliased =
      newVisitors.length === 0
        ? []
        : (yield { ...ALIASES_OF, params: [accountKey, newVisitors, accountKey, newVisitors] }).rows;
    newUsers = users.map((r) => String(r.id)).filter((id) => !person.users.has(id));
    newVisitors = [...new Set([...visitors, ...aliased].map((r) => String(r.id)))].filter(
      (id) => !person.visitors.has(id),
    );
    for (const id of newUsers) person.users.add(id);
    for (const id of newVisitors) person.visitors.add(id);
  }
  return person;
}
