/** Branding tokens the server accepts (organisation.branding) and the CSS properties they set. */
export const brandingProperties = {
  'color-primary': '--zegel-color-primary',
  'color-primary-text': '--zegel-color-primary-text',
  'color-accent': '--zegel-color-accent',
  'color-background': '--zegel-color-background',
  'font-family': '--zegel-font-family',
} as const;

export type BrandingToken = keyof typeof brandingProperties;

/**
 * Applies an organisation's tokens on top of the neutral theme. Through CSSOM, because the
 * CSP forbids inline style attributes but allows `style.setProperty`.
 */
export function applyBranding(element: HTMLElement, branding: Readonly<Record<string, string>>): void {
  for (const [token, property] of Object.entries(brandingProperties)) {
    const value = branding[token];
    if (value) element.style.setProperty(property, value);
    else element.style.removeProperty(property);
  }
}

/** WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21). */
export function getContrastRatio(foreground: string, background: string): number {
  const a = getRelativeLuminance(foreground);
  const b = getRelativeLuminance(background);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

function getRelativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
