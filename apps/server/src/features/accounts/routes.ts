import type { Deps } from '../../deps.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { registerOwnAccountRoutes } from './account-routes.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerPasskeyRoutes } from './passkey-routes.ts';
import { registerTeamRoutes } from './team-routes.ts';

/** Sign-in, account and administration routes. Handlers only translate HTTP to service calls. */
export function registerAccountRoutes(app: TypedApp, deps: Deps): void {
  registerAuthRoutes(app, deps);
  registerOwnAccountRoutes(app, deps);
  registerPasskeyRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerTeamRoutes(app, deps);
}
