import type { SessionStage } from '@zegel/protocol/api';
import { type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { stageHome, useSession } from '../api/index.ts';
import { Loading, Page } from '../ui/index.ts';
import { Layout } from './layout.tsx';
import {
  AccountPage,
  AdminPage,
  ComposePage,
  ContactPage,
  ConversationPage,
  EnrolmentPage,
  FindMeldpuntPage,
  ForgotPasswordPage,
  GuestPage,
  InvitationPage,
  MailboxPage,
  OutboxPage,
  ReportPage,
  ResetPasswordPage,
  SecondFactorPage,
  SignInPage,
} from './lazy-pages.tsx';

export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoading />}>
      <AppRouteTable />
    </Suspense>
  );
}

/** While a page outside the layout (guest, contact) fetches its chunk: a landmark and a status. */
function PageLoading() {
  return (
    <div className="utrecht-page">
      <main id="main" className="utrecht-page-content zegel-main" tabIndex={-1}>
        <Loading />
      </main>
    </div>
  );
}

function AppRouteTable() {
  return (
    <Routes>
      <Route path="g/:recipientId" element={<GuestPage />} />
      <Route path="contact/:slug" element={<ContactPage />} />
      <Route path="contact/:slug/:teamId" element={<ContactPage />} />
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route
          path="sign-in/code"
          element={
            <RequireStage stage="second_factor">
              <SecondFactorPage />
            </RequireStage>
          }
        />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="invitation" element={<InvitationPage />} />
        <Route
          path="enrol"
          element={
            <RequireStage stage="enrolment">
              <EnrolmentPage />
            </RequireStage>
          }
        />
        <Route
          path="account"
          element={
            <RequireStage stage="full">
              <AccountPage />
            </RequireStage>
          }
        />
        <Route
          path="admin/*"
          element={
            <RequireStage stage="full" isAdminOnly>
              <AdminPage />
            </RequireStage>
          }
        />
        <Route
          path="messages"
          element={
            <RequireStage stage="full">
              <MailboxPage key="inbox" box="inbox" />
            </RequireStage>
          }
        />
        <Route
          path="messages/sent"
          element={
            <RequireStage stage="full">
              <MailboxPage key="sent" box="sent" />
            </RequireStage>
          }
        />
        <Route
          path="messages/teams/:teamId"
          element={
            <RequireStage stage="full">
              <MailboxPage key="team" box="team" />
            </RequireStage>
          }
        />
        <Route
          path="reports/find"
          element={
            <RequireStage stage="full">
              <FindMeldpuntPage />
            </RequireStage>
          }
        />
        <Route
          path="messages/new"
          element={
            <RequireStage stage="full">
              <ComposePage />
            </RequireStage>
          }
        />
        <Route
          path="conversations/:id"
          element={
            <RequireStage stage="full">
              <ConversationPage />
            </RequireStage>
          }
        />
        <Route
          path="conversations/:id/report"
          element={
            <RequireStage stage="full">
              <ReportPage />
            </RequireStage>
          }
        />
        <Route path="outbox" element={<OutboxPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Home() {
  const { me } = useSession();
  if (me === undefined) return <Loading />;
  return <Navigate to={me ? stageHome[me.stage] : '/sign-in'} replace />;
}

function RequireStage({
  stage,
  isAdminOnly = false,
  children,
}: {
  stage: SessionStage;
  isAdminOnly?: boolean;
  children: ReactNode;
}) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  if (me.stage !== stage) return <Navigate to={stageHome[me.stage]} replace />;
  if (isAdminOnly && me.role !== 'admin') return <Navigate to="/account" replace />;
  return children;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p className="utrecht-paragraph">{t('notFound.body')}</p>
    </Page>
  );
}
