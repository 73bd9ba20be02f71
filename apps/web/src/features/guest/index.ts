/** The guest's side: the page behind a link (verify, read, reply) and what other guest pages share. */
export { guestApi } from './guest-api.ts';
export { GuestLayout } from './guest-layout.tsx';
export { GuestPage } from './guest-page.tsx';
