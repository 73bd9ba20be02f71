import { BrowserRouter } from 'react-router';
import { AppRoutes } from './routes.tsx';
import { SessionProvider } from './session.tsx';

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
