// Products page: dynamic, so a <Link> click fetches it from the server (RSC: 1) and counts as a pageview.
export const dynamic = 'force-dynamic';

export default function Products() {
  return <h1 id="title">Products</h1>;
}
