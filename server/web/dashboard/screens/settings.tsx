// Shop settings (the owner changes them): the shop's name, the time zone every time is shown in, the
// language bundles and claim letters are written in by default, and the weight check's packaging weight
// and tolerance. Reply templates and the SKU catalogue have their own screens, linked from here; the
// owner purges old buyer details here. A save is handed to the app, so the header and every time
// follow at once.
import { useEffect, useState } from 'preact/hooks';
import { languages, type Language } from '../../../domain/vocabulary';
import { api, type Me, type Shop } from '../api';
import { BuyerDetailsPurge } from '../parts/buyer-details-purge';
import { ErrorNotice } from '../parts/error-notice';
import { RetentionCard } from '../parts/retention-card';
import { Field } from '../parts/field';
import { TimeZoneField, zoneOf } from '../parts/time-zone-field';
import { useFormAction } from '../parts/form-action';
import { languageNames, t } from '../i18n';
import { followLink } from '../router';
import { dashboardScreens } from '../screens';

const weightFields = (shop: Shop) => ({ packaging: String(shop.packagingWeightGrams), tolerance: String(shop.weightTolerancePercent) });

export function SettingsScreen({ me, onShopChanged }: { me: Me; onShopChanged?: (shop: Shop) => void }) {
  const owner = me.role === 'owner';
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      {owner ? <ShopForm me={me} onShopChanged={onShopChanged} /> : <p class="notice notice-info">{t('settings.ownerOnly')}</p>}
      <section class="card settings-card" aria-labelledby="settings-replies-title">
        <h2 id="settings-replies-title">{t('settings.repliesTitle')}</h2>
        <p>{t('settings.repliesHelp')}</p>
        <a href={dashboardScreens.replyTemplates} onClick={followLink}>
          {t('settings.repliesLink')}
        </a>
      </section>
      <section class="card settings-card" aria-labelledby="settings-skus-title">
        <h2 id="settings-skus-title">{t('settings.skusTitle')}</h2>
        <p>{t('settings.skusHelp')}</p>
        <a href={dashboardScreens.skuCatalogue} onClick={followLink}>
          {t('settings.skusLink')}
        </a>
      </section>
      {owner && <BuyerDetailsPurge />}
      {me.role !== 'packer' && <RetentionCard timeZone={me.shop.timezone} />}
    </section>
  );
}

function ShopForm({ me, onShopChanged }: { me: Me; onShopChanged?: (shop: Shop) => void }) {
  const [shop, setShop] = useState<Shop>(me.shop);
  // As typed: a number input being edited may hold text that is no number yet.
  const [weights, setWeights] = useState(() => weightFields(me.shop));
  const [zone, setZone] = useState(me.shop.timezone);
  const [zoneChecked, setZoneChecked] = useState(false);
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, submit } = useFormAction(async (form) => {
    const timezone = zoneOf(zone);
    setZoneChecked(true);
    if (!timezone) return;
    const answer = await api<Shop>('PATCH', '/shop', {
      name: String(form.get('name')).trim(),
      timezone,
      reportLanguage: String(form.get('reportLanguage')),
      // The inputs' own min/max keep these to what the server takes; the browser refuses the rest before a save.
      packagingWeightGrams: Number(form.get('packagingWeightGrams')),
      weightTolerancePercent: Number(form.get('weightTolerancePercent')),
    });
    setShop(answer);
    setZone(answer.timezone);
    setWeights(weightFields(answer));
    setZoneChecked(false);
    setSaved(true);
    onShopChanged?.(answer);
  });

  // `me` was read when the app started; another owner may have changed the settings since.
  useEffect(() => {
    api<Shop>('GET', '/shop').then((answer) => {
      setShop(answer);
      setZone(answer.timezone);
      setWeights(weightFields(answer));
    }, setError);
  }, []);

  return (
    <form class="card settings-card" onSubmit={submit} onInput={() => setSaved(false)}>
      <h2 class="form-title">{t('settings.shopTitle')}</h2>
      <Field id="settings-name" label={t('settings.name')}>
        <input
          id="settings-name"
          name="name"
          required
          maxLength={200}
          value={shop.name}
          onInput={(event) => setShop({ ...shop, name: event.currentTarget.value })}
          autoComplete="organization"
        />
      </Field>
      <TimeZoneField
        id="settings-timezone"
        name="timezone"
        label={t('settings.timezone')}
        hint={t('settings.timezoneHint')}
        value={zone}
        onChange={setZone}
        checked={zoneChecked}
        onCheck={() => setZoneChecked(true)}
      />
      <Field id="settings-language" label={t('settings.reportLanguage')} hint={t('settings.reportLanguageHint')}>
        <select id="settings-language" name="reportLanguage" value={shop.reportLanguage} aria-describedby="settings-language-hint" onChange={(event) => setShop({ ...shop, reportLanguage: event.currentTarget.value as Language })}>
          {languages.map((code) => (
            <option key={code} value={code} lang={code}>
              {languageNames[code]}
            </option>
          ))}
        </select>
      </Field>
      <fieldset class="settings-weights">
        <legend>{t('settings.weightsTitle')}</legend>
        <Field id="settings-packaging" label={t('settings.packagingWeight')} hint={t('settings.packagingWeightHint')}>
          <input
            id="settings-packaging"
            name="packagingWeightGrams"
            type="number"
            inputMode="decimal"
            required
            min={0}
            max={1_000_000}
            step="any"
            value={weights.packaging}
            aria-describedby="settings-packaging-hint"
            onInput={(event) => setWeights({ ...weights, packaging: event.currentTarget.value })}
          />
        </Field>
        <Field id="settings-tolerance" label={t('settings.weightTolerance')} hint={t('settings.weightToleranceHint')}>
          <input
            id="settings-tolerance"
            name="weightTolerancePercent"
            type="number"
            inputMode="decimal"
            required
            min={0.1}
            max={50}
            step="any"
            value={weights.tolerance}
            aria-describedby="settings-tolerance-hint"
            onInput={(event) => setWeights({ ...weights, tolerance: event.currentTarget.value })}
          />
        </Field>
      </fieldset>
      <ErrorNotice error={error} />
      <div class="row">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('settings.save')}
        </button>
        <p role="status" class="settings-saved">
          {saved && t('settings.saved')}
        </p>
      </div>
    </form>
  );
}
