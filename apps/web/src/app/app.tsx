import { BrowserRouter } from 'react-router';
import { SessionProvider } from '../api/index.ts';
import { forgetAllPendingUploads } from '../features/files/index.ts';
import { forgetKeys } from '../features/keys/index.ts';
import { AppRoutes } from './routes.tsx';

/** What this tab holds for the signed-in user, forgotten at sign-out. */
async function forgetSignedInState(): Promise<void> {
  forgetKeys();
  await forgetAllPendingUploads();
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider onSignOut={forgetSignedInState}>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
