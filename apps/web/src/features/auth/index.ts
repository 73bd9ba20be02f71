/** Signing in (password, second factor), enrolment, invitations and password resets. */
export { EnrolmentPage } from './enrolment-page.tsx';
export { ForgotPasswordPage } from './forgot-password-page.tsx';
export { InvitationPage } from './invitation-page.tsx';
export { RecoveryCodes } from './recovery-codes.tsx';
export { ResetPasswordPage } from './reset-password-page.tsx';
export { SecondFactorPage } from './second-factor-page.tsx';
export { SignInPage } from './sign-in-page.tsx';
