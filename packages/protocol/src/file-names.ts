/**
 * File names arrive inside encrypted messages, from anyone a message can come from. Before a
 * name is shown or used to save a file it is cleaned: the tricks below make "factuur‮fdp.exe"
 * look like "factuurexe.pdf", or "раураl.pdf" (Cyrillic) look like "paypal.pdf".
 */

/** Bidirectional controls (RLO, LRI, …) reorder what is displayed without changing the bytes. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Zero-width and other invisible characters hide part of a name. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
/** Characters that separate paths or are not allowed in file names on common systems. */
const RESERVED = /[/\\:*?"<>|]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const EXECUTABLE = /\.(exe|scr|bat|cmd|com|pif|js|jse|vbs|vbe|wsf|hta|msi|lnk|ps1|jar|app|dmg|iso|reg)$/i;

export type FileNameWarning = 'hidden_characters' | 'mixed_scripts' | 'double_extension' | 'executable';

export interface CleanFileName {
  /** Safe to show and to save under. */
  name: string;
  /** Why a reader should look twice; empty for an ordinary name. */
  warnings: FileNameWarning[];
}

const MAX_LENGTH = 200;

/** Cleans a file name for display and saving, and says what looked suspicious about it. */
export function cleanFileName(raw: string, fallback = 'bijlage'): CleanFileName {
  const warnings: FileNameWarning[] = [];
  const normalised = raw.normalize('NFC');
  // match() rather than test(): a global regular expression's test() keeps state between calls.
  if (normalised.match(BIDI_CONTROLS) || normalised.match(INVISIBLE)) warnings.push('hidden_characters');
  let name = normalised
    .replace(BIDI_CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (name.length > MAX_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, MAX_LENGTH - extension.length) + extension;
  }
  if (!name) name = fallback;
  if (hasMixedScripts(name)) warnings.push('mixed_scripts');
  if (/\.[a-z0-9]{2,4}\.[a-z0-9]{2,4}$/i.test(name) && EXECUTABLE.test(name))
    warnings.push('double_extension');
  if (EXECUTABLE.test(name)) warnings.push('executable');
  return { name, warnings };
}

/** Latin letters mixed with Cyrillic or Greek ones in one name (not counting the extension). */
function hasMixedScripts(name: string): boolean {
  const stem = name.replace(/\.[A-Za-z0-9]{1,10}$/, '');
  return /[A-Za-z]/.test(stem) && /[\u0370-\u03FF\u0400-\u04FF]/.test(stem);
}
