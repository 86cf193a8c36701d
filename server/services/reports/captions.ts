// Captions as a reader sees them, in the document's language. Most captions are the seller's own
// words and stay exactly as written. Some are the service's words: a photo taken from a return
// inspection's checklist row is captioned by the packer app with that row's name ("Outer box"), in
// whatever language the packer's phone used. Printed as written, a Korean report would show English
// captions; such a caption is recognised here and given in the reader's language instead.
import { checklistItems, languages, type ChecklistItem, type Language } from '../../domain/vocabulary';
import { translations } from '../../i18n';
import { strings } from './i18n';

const normalise = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('en-US');

// Every name a checklist row goes by: the packer app's (what it writes as the caption) and the reports'.
const checklistNames = new Map<string, ChecklistItem>();
for (const language of languages) {
  const pack = translations.pack[language] as Record<string, unknown>;
  for (const item of checklistItems) {
    const packName = pack[`inspect.${item}`];
    if (typeof packName === 'string') checklistNames.set(normalise(packName), item);
    checklistNames.set(normalise(strings(language).checklistItems[item]), item);
  }
}

/** The checklist row a caption merely names, when the caption is nothing more than that name. */
export function checklistItemNamedBy(caption: string): ChecklistItem | undefined {
  return checklistNames.get(normalise(caption));
}

/** The caption to print: a checklist row's name in `language`, or the seller's words as they are. */
export function captionIn(caption: string | undefined, language: Language): string | undefined {
  if (!caption) return undefined;
  const item = checklistItemNamedBy(caption);
  return item ? strings(language).checklistItems[item] : caption;
}
