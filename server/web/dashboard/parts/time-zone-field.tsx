// The one way to pick the shop's time zone (setup and settings): a labelled text box with every zone
// the browser knows as suggestions, the browser's own zone offered first. A full name in any case or a
// city alone ("Taipei", "seoul") is read as its zone, and the field says what it was read as and what
// the time is there now. The form gets the resolved name through a hidden input of the given `name`.
import { useState } from 'preact/hooks';
import { formatTime, t } from '../i18n';
import { deviceZone, knownZones, resolveZone } from './time-zones';

interface TimeZoneFieldProps {
  id: string;
  name: string;
  label: string;
  hint: string;
  value: string;
  onChange: (text: string) => void;
  /** Show what is wrong with the text (after leaving the field, or on submit). */
  checked: boolean;
  onCheck: () => void;
}

/** The zone the text names, if exactly one (what the form sends). */
export const zoneOf = (text: string): string | undefined => {
  const match = resolveZone(text);
  return 'zone' in match ? match.zone : undefined;
};

export function TimeZoneField({ id, name, label, hint, value, onChange, checked, onCheck }: TimeZoneFieldProps) {
  const [zones] = useState(() => {
    const all = knownZones();
    const own = deviceZone();
    return all.includes(own) ? [own, ...all.filter((zone) => zone !== own)] : all;
  });
  const match = resolveZone(value, zones);
  const problem = checked && !('zone' in match);
  const listId = `${id}-zones`;
  const describedBy = [`${id}-hint`, `${id}-resolved`].join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        list={listId}
        value={value}
        onInput={(event) => onChange(event.currentTarget.value)}
        onBlur={onCheck}
        autoComplete="off"
        spellcheck={false}
        aria-invalid={problem}
        aria-describedby={describedBy}
      />
      <input type="hidden" name={name} value={'zone' in match ? match.zone : value.trim()} />
      <datalist id={listId}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <p id={`${id}-resolved`} class={problem ? 'field-error' : 'hint'} aria-live="polite">
        {'zone' in match
          ? t('timezone.resolved', { zone: match.zone, time: formatTime(new Date().toISOString(), match.zone) })
          : problem && 'ambiguous' in match
            ? t('timezone.ambiguous', { zone: value.trim(), zones: match.ambiguous.join(', ') })
            : problem
              ? t('settings.timezoneUnknown', { zone: value.trim() })
              : ''}
      </p>
    </div>
  );
}
