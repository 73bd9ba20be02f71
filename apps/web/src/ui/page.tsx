import { Heading } from '@nl-design-system-candidate/heading-react';
import { type ReactNode, useEffect, useRef } from 'react';

let isFirstPage = true;

/**
 * A page with its h1. After an in-app navigation focus moves to the h1, so keyboard and
 * screen-reader users start at the new content (as after a full page load); the title changes too.
 */
export function Page({
  title,
  children,
  wide = false,
}: {
  title: string;
  children: ReactNode;
  wide?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Zegel`;
  }, [title]);
  useEffect(() => {
    if (isFirstPage) {
      isFirstPage = false;
      return;
    }
    heading.current?.focus();
  }, []);
  return (
    <div className={wide ? 'zegel-page zegel-page--wide' : 'zegel-page'}>
      <Heading level={1} ref={heading} tabIndex={-1} className="utrecht-heading-1 zegel-page-title">
        {title}
      </Heading>
      {children}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section className="zegel-section" aria-labelledby={headingId}>
      <Heading level={2} id={headingId} className="utrecht-heading-2">
        {title}
      </Heading>
      {children}
    </section>
  );
}
