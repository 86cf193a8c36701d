// A dispute's reply drafts: pick the message's language and the stage, read the draft filled with the
// order's facts, copy it with one click. The facts the order lacks are named, so nothing goes out blank.
import type { Static } from '@sinclair/typebox';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { languages, replyStages, type Language, type ReplyStage } from '../../../domain/vocabulary';
import type { ReplyDraftsSchema } from '../../../routes/replies.routes';
import { api } from '../api';
import { language as interfaceLanguage, languageNames, t, termKey } from '../i18n';
import { useOutgoingLanguage } from './dispute-language';
import { ErrorNotice } from './error-notice';

export type ReplyDraftSet = Static<typeof ReplyDraftsSchema>;

interface ReplyDraftsProps {
  disputeId: string;
  /**
   * The message's language, chosen outside (the reply templates screen), or else the one to start with:
   * the shop's report language, then the page's once the seller switches it (see useOutgoingLanguage).
   */
  language?: Language;
  shopLanguage?: Language;
  /** The stage to show first. */
  stage?: ReplyStage;
  /** 2 on a page of its own sections (the dispute page), 3 inside another section. */
  headingLevel?: 2 | 3;
}

export function ReplyDrafts({ disputeId, language: firstLanguage, shopLanguage, stage: firstStage, headingLevel = 2 }: ReplyDraftsProps) {
  const id = useId();
  // A language given by the screen counts as picked; otherwise the shop's, then the page's.
  const [messageLanguage, setMessageLanguage] = useOutgoingLanguage(shopLanguage ?? interfaceLanguage(), firstLanguage);
  const [stage, setStage] = useState<ReplyStage>(firstStage ?? 'first_reply');
  const [drafts, setDrafts] = useState<ReplyDraftSet>();
  const [error, setError] = useState<unknown>();
  const [copied, setCopied] = useState<'copied' | 'selected'>();
  const text = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let current = true;
    setError(undefined);
    setDrafts(undefined);
    api<ReplyDraftSet>('GET', `/disputes/${encodeURIComponent(disputeId)}/replies?lang=${encodeURIComponent(messageLanguage)}`).then(
      (answer) => current && setDrafts(answer),
      (caught) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [disputeId, messageLanguage]);


  const draft = drafts?.drafts.find((candidate) => candidate.stage === stage);
  // A confirmation belongs to the text that was copied; another draft starts without one.
  const chooseStage = (next: ReplyStage) => (setCopied(undefined), setStage(next));
  const chooseLanguage = (next: Language) => (setCopied(undefined), setMessageLanguage(next));
  const stageName = t(termKey('replies.stage', stage));
  const Heading = `h${headingLevel}` as 'h2' | 'h3';

  async function copy() {
    if (!draft) return;
    try {
      await navigator.clipboard.writeText(draft.body);
      setCopied('copied');
    } catch {
      // Without clipboard access (plain http on another machine, a refused permission) the text is
      // selected instead, so the seller's own Ctrl+C copies exactly the draft.
      text.current?.focus();
      text.current?.select();
      setCopied('selected');
    }
  }

  return (
    <section class="reply-drafts" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`}>{t('replies.drafts')}</Heading>
      <div class="reply-controls">
        <div class="field">
          <label for={`${id}-language`}>{t('replies.draftsLanguage')}</label>
          <select id={`${id}-language`} value={messageLanguage} onChange={(event) => chooseLanguage(event.currentTarget.value as Language)}>
            {languages.map((code) => (
              <option key={code} value={code} lang={code}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="segmented">
          <legend>{t('replies.stage')}</legend>
          {replyStages.map((code) => (
            <label key={code} class="segment">
              <input type="radio" name={`${id}-stage`} value={code} checked={stage === code} onChange={() => chooseStage(code)} />
              <span>{t(termKey('replies.stage', code))}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorNotice error={error} />
      {!drafts && !error && (
        <p class="muted" role="status">
          {t('replies.loading')}
        </p>
      )}
      {draft && (
        <div class="reply-draft">
          {draft.missing.length > 0 && (
            <div class="notice notice-warning" id={`${id}-missing`}>
              <p>{t('replies.missing', { facts: draft.missing.map((entry) => t(termKey('replies.placeholder', entry.placeholder))).join(', ') })}</p>
              {draft.missing.some((entry) => entry.placeholder === 'returnFee') && <p>{t('replies.returnFeeNote')}</p>}
            </div>
          )}
          <label for={`${id}-text`}>{t('replies.draftFor', { stage: stageName })}</label>
          <textarea id={`${id}-text`} ref={text} class="reply-text" readOnly rows={16} lang={messageLanguage} value={draft.body} aria-describedby={draft.missing.length ? `${id}-missing` : undefined} />
          {!draft.isDefault && <p class="muted">{t('replies.customWording')}</p>}
          <div class="row">
            <button type="button" class="button-primary" onClick={copy}>
              {t('replies.copy')}
            </button>
            <span role="status" class="copy-status">
              {copied === 'copied' ? t('replies.copied') : copied === 'selected' ? t('replies.copySelected') : ''}
            </span>
          </div>
        </div>
      )}
    </section>
  );
}
