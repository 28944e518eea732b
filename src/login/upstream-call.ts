import type { AppContext } from '../context.ts';
import { PageError } from '../http/errors.ts';
import { type IdentityProvider, UpstreamError } from './identity-provider.ts';

/**
 * Runs one request to an identity provider. A provider failure is logged for the operator with
 * its private detail and shown to the person as a 502 page that names only the provider.
 */
export async function callUpstream<T>(
  ctx: AppContext,
  provider: IdentityProvider,
  page: { title: string; explanation: string },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    ctx.logger.warn('upstream.failed', {
      provider: provider.id,
      reason: error.reason,
      detail: error.message,
    });
    throw new PageError(page.title, page.explanation, 502);
  }
}
