import DOMPurify from 'dompurify';

/**
 * The only HTML a message may carry: text formatting, lists and links. Applied before
 * encryption (composer) and again before display (readers), so a message made by another
 * client cannot smuggle script, styles, forms or remote images in.
 */
const allowedTags = [
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  'ul',
  'ol',
  'li',
  'a',
  'blockquote',
  'div',
  'span',
];
const allowedAttributes = ['href'];

export function sanitizeMessageHtml(html: string): string {
  const clean = DOMPurify.sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: allowedAttributes,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:)/i,
    RETURN_TRUSTED_TYPE: false,
  });
  return String(clean);
}

/** Sanitised HTML as a detached fragment with links opening safely in a new tab. */
export function toSafeFragment(html: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: allowedAttributes,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:)/i,
    RETURN_DOM_FRAGMENT: true,
  });
  for (const link of fragment.querySelectorAll('a')) {
    link.setAttribute('rel', 'noopener noreferrer nofollow');
    link.setAttribute('target', '_blank');
    link.classList.add('utrecht-link');
  }
  return fragment;
}

/** Plain text of sanitised HTML (for summaries and print). */
export function htmlToText(html: string): string {
  return toSafeFragment(html).textContent ?? '';
}
