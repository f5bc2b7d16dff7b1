'use server';
// Server action: the purchase, credited to the visitor and session of the browser that made it.
import { withTouchline } from '@touchline/node/next';
import { headers } from 'next/headers';
import { touchline } from '../../lib/touchline';

export async function purchase(formData: FormData): Promise<void> {
  const email = String(formData.get('email') ?? '');
  await withTouchline(touchline, await headers(), async () => {
    touchline.identify(email, { plan: 'starter' });
    touchline.conversion('purchase', { revenue: 49, currency: 'EUR', properties: { sku: 'starter' } });
  });
  await touchline.flush({ timeoutMs: 2000 });
}
