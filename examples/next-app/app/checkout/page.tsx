// Checkout page: a form whose submit runs the purchase server action.
import { purchase } from './actions';

export const dynamic = 'force-dynamic';

export default function Checkout() {
  return (
    <>
      <h1 id="title">Checkout</h1>
      <form action={purchase}>
        <input name="email" id="email" defaultValue="buyer@example.com" />
        <button type="submit" id="buy">
          Buy (49 EUR)
        </button>
      </form>
    </>
  );
}
