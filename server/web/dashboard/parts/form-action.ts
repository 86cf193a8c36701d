// How every dashboard form talks to the API: busy while its request runs, the server's refusal kept to show.
import { useState } from 'preact/hooks';

export function useFormAction(action: (form: FormData, element: HTMLFormElement) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(event: Event) {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setError(undefined);
    try {
      await action(new FormData(element), element);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, submit };
}
