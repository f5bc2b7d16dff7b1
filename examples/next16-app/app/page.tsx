// Home page: rendered per request (dynamic), so each client navigation here fetches its RSC payload.
export const dynamic = 'force-dynamic';

export default function Home() {
  return <h1 id="title">Home</h1>;
}
