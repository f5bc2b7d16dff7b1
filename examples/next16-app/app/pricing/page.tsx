// Pricing page: only ever prefetched in the test (from the products page), never shown.
export const dynamic = 'force-dynamic';

export default function Pricing() {
  return <h1 id="title">Pricing</h1>;
}
