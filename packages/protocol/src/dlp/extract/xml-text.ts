const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references; unknown entities stay as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-z]{2,4});/g, (whole, body: string) => {
    if (body.startsWith('#x')) return safeCodePoint(Number.parseInt(body.slice(2), 16)) ?? whole;
    if (body.startsWith('#')) return safeCodePoint(Number.parseInt(body.slice(1), 10)) ?? whole;
    return ENTITIES[body] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

export interface XmlTag {
  /** Tag name with prefix, e.g. `w:t`. */
  name: string;
  isClosing: boolean;
  isSelfClosing: boolean;
  /** The raw attribute text. */
  attributes: string;
}

/**
 * Walks an XML document once, calling `onTag` for each tag and `onText` for the text between
 * tags. A tiny streaming reader rather than a DOM: DOMParser does not exist in a worker in every
 * browser nor in Node, and Office XML needs nothing more than this.
 */
export function walkXml(xml: string, onTag: (tag: XmlTag) => void, onText: (text: string) => void): void {
  let p = 0;
  while (p < xml.length) {
    const open = xml.indexOf('<', p);
    if (open === -1) {
      onText(decodeXmlEntities(xml.slice(p)));
      return;
    }
    if (open > p) onText(decodeXmlEntities(xml.slice(p, open)));
    const close = xml.indexOf('>', open);
    if (close === -1) return;
    const raw = xml.slice(open + 1, close);
    p = close + 1;
    if (raw.startsWith('?') || raw.startsWith('!')) continue;
    const isClosing = raw.startsWith('/');
    const isSelfClosing = raw.endsWith('/');
    const body = raw.slice(isClosing ? 1 : 0, isSelfClosing ? -1 : undefined).trim();
    const space = body.search(/\s/);
    onTag({
      name: space === -1 ? body : body.slice(0, space),
      isClosing,
      isSelfClosing,
      attributes: space === -1 ? '' : body.slice(space),
    });
  }
}

/** The value of one attribute in a tag's raw attribute text. */
export function attributeOf(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}="([^"]{0,1024})"`).exec(attributes);
  return match?.[1] === undefined ? undefined : decodeXmlEntities(match[1]);
}
