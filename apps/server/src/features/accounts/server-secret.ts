import type { Deps } from '../../deps.ts';

/** The deployment's secret that keys fake salts, device cookies and sign-in challenges. */
export function serverSecret(deps: Deps): string {
  if (!deps.config.secret) throw new Error('the server secret is not configured');
  return deps.config.secret;
}
