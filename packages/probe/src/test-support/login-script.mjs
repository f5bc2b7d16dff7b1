// Probe script fixture: each browser posts a login form first, then reads its account page twice.
export function steps(user) {
  const ownAnswer = (res) =>
    res.json?.user === user.id ? null : `account page answered for ${String(res.json?.user)}`;
  return [
    {
      method: 'POST',
      path: '/login',
      sequential: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `user=${user.id}`,
    },
    { method: 'GET', path: '/account', expect: ownAnswer },
    { method: 'GET', path: '/account', expect: ownAnswer },
  ];
}
