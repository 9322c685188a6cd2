import type { AppDeps } from '../app.js';
import type { SecureRoutes } from '../auth/authorization.js';

/** Staff routes under `/api`: login, logout, me, and the admin pages' staff, characters and keys. */
export function registerStaffRoutes(_routes: SecureRoutes, _deps: AppDeps): void {}
