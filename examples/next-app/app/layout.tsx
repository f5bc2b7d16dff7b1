// Root layout: a nav bar of <Link>s, so moving between pages is a client-side (RSC) navigation, and the Touchline beacon script that counts those.
import Link from 'next/link';
import Script from 'next/script';
import type { ReactNode } from 'react';

export const metadata = { title: 'Touchline Next.js example' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* Served by touchlineNext (middleware.ts): reports <Link> navigations, back/forward and bfcache restores.
            beforeInteractive: installed before the router hydrates, so no early click is missed. */}
        <Script src="/_touchline/beacon.js" strategy="beforeInteractive" />
        <nav>
          <Link href="/" id="nav-home">
            Home
          </Link>{' '}
          |{' '}
          <Link href="/products" id="nav-products">
            Products
          </Link>{' '}
          |{' '}
          <Link href="/about" id="nav-about">
            About
          </Link>{' '}
          |{' '}
          <Link href="/checkout" id="nav-checkout">
            Checkout
          </Link>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
