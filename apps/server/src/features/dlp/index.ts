/** Leak prevention: the organisation's policy and the composer's audit reports (scanning runs in the browser). */
export { registerDlpRoutes } from './routes.ts';
