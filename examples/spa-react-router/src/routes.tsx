// The routes: a layout with <Link>s, a product list, a product page whose Buy button calls the server, and an About page with a Back button.
import { useState } from 'react';
import { Link, Outlet, useParams, type RouteObject } from 'react-router';

const PRODUCTS: Record<string, { name: string; price: string }> = {
  'tl-1': { name: 'Touchline mug', price: '24.50' },
  'tl-2': { name: 'Touchline scarf', price: '39.00' },
};

function Layout() {
  return (
    <>
      <nav>
        <Link to="/" id="nav-home">
          Home
        </Link>{' '}
        |{' '}
        <Link to="/products" id="nav-products">
          Products
        </Link>{' '}
        |{' '}
        <Link to="/about" id="nav-about">
          About
        </Link>
      </nav>
      <main>
        <Outlet />
      </main>
    </>
  );
}

function Home() {
  return <h1 id="title">Home</h1>;
}

function Products() {
  return (
    <>
      <h1 id="title">Products</h1>
      <ul>
        {Object.entries(PRODUCTS).map(([sku, p]) => (
          <li key={sku}>
            <Link to={`/products/${sku}`} id={`product-${sku}`}>
              {p.name}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The purchase is recorded by the server (POST /api/purchase): the browser never talks to Touchline. */
function Product() {
  const { sku = '' } = useParams();
  const [status, setStatus] = useState('');
  const product = PRODUCTS[sku];
  if (product === undefined) return <h1 id="title">No such product</h1>;
  const buy = async (): Promise<void> => {
    const res = await fetch('/api/purchase', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, email: 'buyer@example.com' }),
    });
    setStatus(res.ok ? 'Thanks for your order' : `Purchase failed (${res.status})`);
  };
  return (
    <>
      <h1 id="title">{product.name}</h1>
      <button type="button" id="buy" onClick={() => void buy()}>
        Buy ({product.price} EUR)
      </button>
      <p id="status">{status}</p>
    </>
  );
}

function About() {
  return (
    <>
      <h1 id="title">About</h1>
      {/* The browser's own history, as a "back" link in an app would: a popstate the router renders. */}
      <button type="button" id="back" onClick={() => history.back()}>
        Back
      </button>
    </>
  );
}

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'products', element: <Products /> },
      { path: 'products/:sku', element: <Product /> },
      { path: 'about', element: <About /> },
    ],
  },
];
