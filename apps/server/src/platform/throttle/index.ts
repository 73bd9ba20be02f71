/** Fixed-window counters in the database, shared by every process (brute-force limits). */
export {
  type Backoff,
  type BackoffResult,
  backoffDelayMs,
  createThrottle,
  type Limit,
  type Throttle,
  type ThrottleResult,
} from './service.ts';
