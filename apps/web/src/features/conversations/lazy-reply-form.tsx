import { type ComponentProps, lazy, Suspense } from 'react';
import { Loading } from '../../ui/index.ts';

/** The editor and the upload machinery are their own chunk: a reader who never replies skips it. */
const ReplyFormChunk = lazy(() => import('./reply-form.tsx').then((m) => ({ default: m.ReplyForm })));

/**
 * The reply form, fetched when a conversation first shows it. Its own boundary keeps the
 * conversation on screen while it loads, with a status in its place.
 */
export function ReplyForm(props: ComponentProps<typeof ReplyFormChunk>) {
  return (
    <Suspense fallback={<Loading />}>
      <ReplyFormChunk {...props} />
    </Suspense>
  );
}
