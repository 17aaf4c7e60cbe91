import { useState } from 'preact/hooks';

/** A form's submit state: busy while saving, then a short "Saved" or the relay's reason. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(action: () => Promise<void>, doneText: string | null = 'Saved') {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(doneText);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Something went wrong.');
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run };
}
