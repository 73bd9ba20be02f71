import { BrowserRouter } from 'react-router';
import { SessionProvider } from '../api/index.ts';
import { AppRoutes } from './routes.tsx';

/**
 * What this tab holds for the signed-in user, forgotten at sign-out. Imported on demand so the
 * entry chunk carries neither feature (a signed-in tab has both loaded already).
 */
async function forgetSignedInState(): Promise<void> {
  const [keys, files] = await Promise.all([
    import('../features/keys/index.ts'),
    import('../features/files/index.ts'),
  ]);
  keys.forgetKeys();
  await files.forgetAllPendingUploads();
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
