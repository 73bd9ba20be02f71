import { extractText as extractPdfText, getDocumentProxy } from 'unpdf';
import { type ExtractResult, unreadable } from './result.ts';

/**
 * Text of a PDF through unpdf (PDF.js built for every JavaScript runtime, browser workers
 * included). A password-protected PDF and a PDF whose pages carry no text (a scan) are reported
 * as unreadable rather than as "nothing found".
 */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractResult> {
  try {
    // PDF.js may transfer (detach) the buffer it is given; the caller's bytes stay intact.
    const document = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, verbosity: 0 });
    try {
      const { text, totalPages } = await extractPdfText(document, { mergePages: false });
      const joined = text.join('\n\f\n');
      if (totalPages > 0 && joined.trim() === '') {
        return unreadable('pdf', 'no_text', 'the pages have no text layer (a scan?); OCR is not supported');
      }
      return { status: 'ok', format: 'pdf', text: joined };
    } finally {
      await document.destroy();
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException')
      return unreadable('pdf', 'encrypted', 'the PDF is protected by a password');
    return unreadable('pdf', 'corrupt', `the PDF could not be parsed (${name || 'error'})`);
  }
}
