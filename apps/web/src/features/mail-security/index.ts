/** Checks of partner domains' mail security (one, in bulk, the history). */
export { MailSecuritySection } from './mail-security-section.tsx';
