// Reply templates (Settings → Reply templates): pick a dispute reason, a stage and a language; the
// owner rewrites the message with the placeholders listed beside it, saves it or goes back to the
// default; sellers read. Below, the drafts of a chosen dispute show the templates filled with its facts.
import type { Static } from '@sinclair/typebox';
import { useEffect, useRef, useState } from 'preact/hooks';
import { disputeReasons, languages, replyStages, type DisputeReason, type Language, type ReplyStage } from '../../../domain/vocabulary';
import type { ReplyTemplateListSchema, ReplyTemplateSchema } from '../../../routes/replies.routes';
import { api, type Me } from '../api';
import { formatTime, language as interfaceLanguage, languageNames, t, termKey, type MessageKey } from '../i18n';
import { ErrorNotice } from '../parts/error-notice';
import { Field } from '../parts/field';
import { useFormAction } from '../parts/form-action';
import { ReplyDrafts } from '../parts/reply-drafts';

type TemplateList = Static<typeof ReplyTemplateListSchema>;
type Template = Static<typeof ReplyTemplateSchema>;
interface DisputeChoice {
  id: string;
  orderId: string;
  reason: DisputeReason;
}

/**
 * Asks before unsaved words are thrown away: on leaving the page (reload, close, another address) the
 * browser's own question; on a link inside the dashboard (the router's navigation) ours, asked before
 * the router sees the click, so a "stay" leaves everything as it was.
 */
function useUnsavedGuard(unsaved: () => boolean) {
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    const click = (event: MouseEvent) => {
      if (!unsaved() || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!link || link.target === '_blank' || link.hasAttribute('download') || link.origin !== location.origin) return;
      if (link.pathname === location.pathname && link.search === location.search) return;
      if (!window.confirm(t('replies.unsavedConfirm'))) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    // Capture phase on the document: before the link's own handler hands it to the router.
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, []);
}

const templatePath = (template: Pick<Template, 'reason' | 'stage' | 'language'>) =>
  `/reply-templates/${template.reason}/${template.stage}/${encodeURIComponent(template.language)}`;

export function ReplyTemplatesScreen({ me }: { me: Me }) {
  const canEdit = me.role === 'owner';
  const [reason, setReason] = useState<DisputeReason>('item_missing');
  const [stage, setStage] = useState<ReplyStage>('first_reply');
  const [messageLanguage, setMessageLanguage] = useState<Language>(interfaceLanguage());
  const [list, setList] = useState<TemplateList>();
  const [text, setText] = useState('');
  // A message key, so the confirmation follows a change of the interface's language.
  const [status, setStatus] = useState<MessageKey>();
  // Bumped on every save or reset, so the preview drafts again with the new wording.
  const [version, setVersion] = useState(0);
  const body = useRef<HTMLTextAreaElement>(null);
  // Beside the text on a desk the placeholders stay open; on a phone they fold away above the save button.
  const [wide] = useState(() => window.matchMedia('(min-width: 48rem)').matches);

  const template = list?.items.find((item) => item.reason === reason && item.stage === stage);
  const unsaved = useRef(false);
  unsaved.current = canEdit && template !== undefined && text !== template.body;
  useUnsavedGuard(() => unsaved.current);
  /** Another template chosen while this one has unsaved words: only after a yes. */
  const choose = <T,>(apply: (value: T) => void) => (event: Event & { currentTarget: HTMLSelectElement }, current: string) => {
    const value = event.currentTarget.value;
    if (unsaved.current && !window.confirm(t('replies.unsavedConfirm'))) {
      event.currentTarget.value = current;
      return;
    }
    apply(value as T);
  };

  const { busy, error, setError, submit: save } = useFormAction(async () => {
    if (!template) return;
    const saved = await api<Template>('PUT', templatePath(template), { body: text });
    replace(saved);
    setStatus('replies.saved');
  });

  useEffect(() => {
    let current = true;
    setList(undefined);
    api<TemplateList>('GET', `/reply-templates?lang=${encodeURIComponent(messageLanguage)}`).then(
      (answer) => current && setList(answer),
      (caught) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [messageLanguage]);

  // Another template chosen: earlier messages no longer apply.
  useEffect(() => {
    setStatus(undefined);
    setError(undefined);
  }, [reason, stage, messageLanguage]);
  // Another template chosen, loaded, saved or reset: the editor shows its words as stored.
  useEffect(() => setText(template?.body ?? ''), [reason, stage, messageLanguage, template?.body]);

  function replace(updated: Template) {
    setList((previous) => previous && { ...previous, items: previous.items.map((item) => (item.reason === updated.reason && item.stage === updated.stage ? updated : item)) });
    setVersion((value) => value + 1);
  }

  async function reset() {
    if (!template) return;
    setError(undefined);
    try {
      await api('DELETE', templatePath(template));
      const answer = await api<TemplateList>('GET', `/reply-templates?lang=${encodeURIComponent(template.language)}`);
      setList(answer);
      setVersion((value) => value + 1);
      setStatus('replies.resetDone');
    } catch (caught) {
      setError(caught);
    }
  }

  function insert(placeholder: string) {
    const element = body.current;
    const token = `{${placeholder}}`;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  const maxLength = list?.maxLength ?? 4000;
  return (
    <section aria-labelledby="replies-title" class="reply-templates">
      <h1 id="replies-title">{t('replies.title')}</h1>
      <p>{t('replies.intro')}</p>
      {!canEdit && <p class="notice notice-info">{t('replies.readOnly')}</p>}

      <fieldset class="card reply-pick">
        <legend>{t('replies.choose')}</legend>
        <Field id="reply-reason" label={t('replies.reason')}>
          <select id="reply-reason" value={reason} onChange={(event) => choose(setReason)(event, reason)}>
            {disputeReasons.map((code) => (
              <option key={code} value={code}>
                {t(termKey('disputes.reasons', code))}
              </option>
            ))}
          </select>
        </Field>
        <Field id="reply-stage" label={t('replies.stage')}>
          <select id="reply-stage" value={stage} onChange={(event) => choose(setStage)(event, stage)}>
            {replyStages.map((code) => (
              <option key={code} value={code}>
                {t(termKey('replies.stage', code))}
              </option>
            ))}
          </select>
        </Field>
        <Field id="reply-language" label={t('replies.language')}>
          <select id="reply-language" value={messageLanguage} onChange={(event) => choose(setMessageLanguage)(event, messageLanguage)}>
            {languages.map((code) => (
              <option key={code} value={code} lang={code}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <form class="card reply-editor" onSubmit={save} aria-labelledby="reply-editor-title">
        <h2 id="reply-editor-title">
          {t(termKey('disputes.reasons', reason))} · {t(termKey('replies.stage', stage))} · <span lang={messageLanguage}>{languageNames[messageLanguage]}</span>
        </h2>
        {template && (
          <p class="muted reply-state">{template.isDefault ? t('replies.default') : t('replies.edited', { time: formatTime(template.updatedAt!, me.shop.timezone) })}</p>
        )}
        <div class="reply-editor-body">
          <Field id="reply-body" label={t('replies.body')} hint={t('replies.length', { count: text.length, max: maxLength })}>
            <textarea
              id="reply-body"
              ref={body}
              class="reply-text"
              rows={18}
              lang={messageLanguage}
              value={text}
              readOnly={!canEdit}
              maxLength={maxLength}
              aria-describedby="reply-body-hint"
              disabled={!template}
              onInput={(event) => setText(event.currentTarget.value)}
            />
          </Field>
          <details class="placeholders" open={wide}>
            <summary>{t('replies.placeholders')}</summary>
            {canEdit && <p class="hint">{t('replies.placeholdersHint')}</p>}
            <ul class="placeholder-list">
              {(list?.placeholders ?? []).map((name) => (
                <li key={name}>
                  {canEdit ? (
                    <button type="button" class="placeholder" onClick={() => insert(name)}>
                      <code>{`{${name}}`}</code> <span>{t(termKey('replies.placeholder', name))}</span>
                    </button>
                  ) : (
                    <span class="placeholder">
                      <code>{`{${name}}`}</code> <span>{t(termKey('replies.placeholder', name))}</span>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </details>
        </div>
        <ErrorNotice error={error} />
        {canEdit && (
          <div class="row">
            <button type="submit" class="button-primary" disabled={busy || !template}>
              {t('replies.save')}
            </button>
            {template && !template.isDefault && (
              <button type="button" onClick={reset}>
                {t('replies.reset')}
              </button>
            )}
          </div>
        )}
        <p role="status" class="status-line">
          {status && t(status)}
        </p>
      </form>

      <Preview reason={reason} stage={stage} language={messageLanguage} version={version} />
    </section>
  );
}

/** The drafts of one of the shop's disputes, made from the templates as they are now saved. */
function Preview({ reason, stage, language, version }: { reason: DisputeReason; stage: ReplyStage; language: Language; version: number }) {
  const [disputes, setDisputes] = useState<DisputeChoice[]>();
  const [chosen, setChosen] = useState<string>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    api<{ items: DisputeChoice[] }>('GET', '/disputes').then((answer) => setDisputes(answer.items), setError);
  }, []);

  // Until the seller picks one, a dispute of the reason being edited shows that template at work.
  const shown = chosen ?? disputes?.find((dispute) => dispute.reason === reason)?.id ?? '';

  return (
    <section class="card reply-preview" aria-labelledby="reply-preview-title">
      <h2 id="reply-preview-title">{t('replies.preview')}</h2>
      <p class="hint">{t('replies.previewHint')}</p>
      <ErrorNotice error={error} />
      {disputes && disputes.length === 0 && <p>{t('replies.previewNone')}</p>}
      {disputes && disputes.length > 0 && (
        <Field id="reply-preview-dispute" label={t('replies.previewDispute')}>
          <select id="reply-preview-dispute" value={shown} onChange={(event) => setChosen(event.currentTarget.value)}>
            <option value="">{t('replies.previewChoose')}</option>
            {disputes.map((dispute) => (
              <option key={dispute.id} value={dispute.id}>
                {t('replies.previewOption', { orderId: dispute.orderId, reason: t(termKey('disputes.reasons', dispute.reason)) })}
              </option>
            ))}
          </select>
        </Field>
      )}
      {shown && <ReplyDrafts key={`${shown}-${version}`} disputeId={shown} language={language} stage={stage} headingLevel={3} />}
    </section>
  );
}
