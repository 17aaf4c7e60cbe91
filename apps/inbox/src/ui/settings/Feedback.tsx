/** The line under a form: the relay's refusal, or that it worked. */
export function Feedback({ error, done }: { error: string | null; done: string | null }) {
  if (error) {
    return (
      <p class="form-alert" role="alert">
        {error}
      </p>
    );
  }
  return (
    <p class="form-done" role="status">
      {done ?? ''}
    </p>
  );
}
