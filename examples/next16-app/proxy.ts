// Touchline on every page request, as Next.js 16's proxy (Node.js runtime): identity cookies on navigations, a pageview per page load.
import { touchlineNext } from '@touchline/node/next';
import { touchline } from './lib/touchline';

export const proxy = touchlineNext(touchline);

// Skip build output and image optimizer up front; the helper also ignores any it still sees.
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
