/**
 * Prepares a mail's HTML for a `sandbox=""` srcdoc frame. The frame inherits this page's CSP,
 * which forbids inline styles, so style attributes and <style> elements would only produce
 * violations; they are removed and a stylesheet of our own origin gives the mail a plain look.
 * Scripts cannot run in the sandbox either way, so this is about looks, not safety. The style
 * attributes go before parsing: Chromium checks the CSP even while DOMParser builds a document.
 */
export function toMailDocument(html: string): string {
  const withoutStyles = html
    .replace(/<style\b[\s\S]*?<\/style\s*>/gi, '')
    .replace(/\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
  const document = new DOMParser().parseFromString(withoutStyles, 'text/html');
  for (const element of document.querySelectorAll('[style], style, script, link, meta[http-equiv]'))
    element.remove();
  const stylesheet = document.createElement('link');
  stylesheet.rel = 'stylesheet';
  stylesheet.href = `${window.location.origin}/outbox-mail.css`;
  document.head.append(stylesheet);
  return `<!doctype html>\n${document.documentElement.outerHTML}`;
}
