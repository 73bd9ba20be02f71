/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export interface MailContent {
  organisationName: string;
  /** Primary colour from the organisation's design tokens, if set. */
  accentColor?: string | undefined;
  /** The organisation's logo (a public URL), shown above the heading and named in the text. */
  logoUrl?: string | undefined;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string } | undefined;
  footer: string;
}

/**
 * Renders a notification e-mail as HTML and plain text. Mails carry no message content,
 * only who wrote and a link; every value is escaped.
 */
export function renderMail(content: MailContent): { html: string; text: string } {
  const accent =
    content.accentColor && /^#[0-9a-f]{3,8}$/i.test(content.accentColor) ? content.accentColor : '#154273';
  const paragraphs = content.paragraphs
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`)
    .join('\n');
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:${accent};color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${escapeHtml(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#555">${escapeHtml(content.action.url)}</p>`
    : '';
  const header = content.logoUrl
    ? `<p style="margin:0 0 24px"><img src="${escapeHtml(content.logoUrl)}" alt="Logo van ${escapeHtml(content.organisationName)}" style="max-height:56px;max-width:240px"></p>
<p style="margin:0 0 16px;font-size:14px;color:#555">In dit bericht ziet u het logo van ${escapeHtml(content.organisationName)}. / This message shows the ${escapeHtml(content.organisationName)} logo.</p>`
    : `<p style="margin:0 0 24px;font-weight:bold">${escapeHtml(content.organisationName)}</p>`;
  const html = `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(content.heading)}</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;line-height:1.5;margin:0;padding:24px;background:#f5f5f5">
<div style="max-width:560px;margin:0 auto;background:#fff;padding:32px;border-top:6px solid ${accent}">
${header}
<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>
${paragraphs}
${action}
<p style="margin:32px 0 0;font-size:13px;color:#555">${escapeHtml(content.footer)}</p>
</div></body></html>`;
  const text = [
    content.organisationName,
    '',
    content.heading,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    content.footer,
  ].join('\n');
  return { html, text };
}
