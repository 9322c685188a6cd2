import type { AppDeps } from '../app.js';
import type { SecureRoutes } from '../auth/authorization.js';

/** The app's user-profile routes (REG-1): `PUT` and `GET /v1/users/{user}`. */
export function registerUserRoutes(_routes: SecureRoutes, _deps: AppDeps): void {}
