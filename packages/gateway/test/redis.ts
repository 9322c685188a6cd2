import { describeWithService } from './postgres.js';

/** The Redis test server (CI sets it). */
export const redisUrl = process.env.REDIS_URL;

/** `describe` for tests that need Redis (`REDIS_URL`), see `describeWithService`. */
export function describeRedis(name: string, body: () => void): void {
  describeWithService('REDIS_URL', name, body);
}
