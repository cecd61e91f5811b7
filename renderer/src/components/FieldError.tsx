/** The message under an invalid field (field-check.ts), linked to it by id for screen readers. */
export function FieldError({ id, problem }: { id: string; problem: string | null }) {
  if (!problem) return null;
  return (
    <p className="field-problem" id={id} data-testid={id} role="alert">
      {problem}
    </p>
  );
}
