import { type ComponentType, lazy } from 'react';

/**
 * Every page as a chunk of its own feature, fetched when a route first shows it (issue 18): a
 * guest link loads the guest's pages and nothing of the composer, the mailbox or the admin.
 */
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}

export const GuestPage = lazyPage(() => import('../features/guest/index.ts').then((m) => m.GuestPage));
export const ContactPage = lazyPage(() => import('../features/contact/index.ts').then((m) => m.ContactPage));

const auth = () => import('../features/auth/index.ts');
export const SignInPage = lazyPage(() => auth().then((m) => m.SignInPage));
export const SecondFactorPage = lazyPage(() => auth().then((m) => m.SecondFactorPage));
export const ForgotPasswordPage = lazyPage(() => auth().then((m) => m.ForgotPasswordPage));
export const ResetPasswordPage = lazyPage(() => auth().then((m) => m.ResetPasswordPage));
export const InvitationPage = lazyPage(() => auth().then((m) => m.InvitationPage));
export const EnrolmentPage = lazyPage(() => auth().then((m) => m.EnrolmentPage));

export const AccountPage = lazyPage(() => import('../features/account/index.ts').then((m) => m.AccountPage));
export const AdminPage = lazyPage(() => import('../features/admin/index.ts').then((m) => m.AdminPage));
export const FindMeldpuntPage = lazyPage(() =>
  import('../features/reports/index.ts').then((m) => m.FindMeldpuntPage),
);
export const OutboxPage = lazyPage(() => import('../features/outbox/index.ts').then((m) => m.OutboxPage));

const messages = () => import('../features/messages/index.ts');
export const MailboxPage = lazyPage(() => messages().then((m) => m.MailboxPage));
export const ComposePage = lazyPage(() => messages().then((m) => m.ComposePage));
export const ConversationPage = lazyPage(() => messages().then((m) => m.ConversationPage));
export const ReportPage = lazyPage(() => messages().then((m) => m.ReportPage));
