// The language something written for outside readers starts in (the report, a reply to the buyer):
// the shop's report language, until the seller switches the page's language, then that one, and
// from the moment the seller picks one for it explicitly, that pick.
import { useRef, useState } from 'preact/hooks';
import type { Language } from '../../../domain/vocabulary';
import { language as pageLanguage } from '../i18n';

export function useOutgoingLanguage(shopLanguage: Language, pickedAtStart?: Language): [Language, (picked: Language) => void] {
  const [picked, setPicked] = useState<Language | undefined>(pickedAtStart);
  const [pageAtStart] = useState(pageLanguage);
  // Once the page's language changed, it is followed even back to where it started.
  const followsPage = useRef(false);
  if (pageLanguage() !== pageAtStart) followsPage.current = true;
  return [picked ?? (followsPage.current ? pageLanguage() : shopLanguage), setPicked];
}
