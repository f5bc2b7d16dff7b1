// Products page: dynamic, so a <Link> click fetches it from the server; its pricing link is prefetched in full and never clicked.
import Link from 'next/link';

export const dynamic = 'force-dynamic';

export default function Products() {
  return (
    <>
      <h1 id="title">Products</h1>
      {/* prefetch={true}: the router fetches the whole page as soon as the link is visible; that fetch must count nothing. */}
      <Link href="/pricing" prefetch={true} id="pricing">
        Pricing
      </Link>
    </>
  );
}
