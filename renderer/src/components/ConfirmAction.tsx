/**
 * Confirm-before-destroy: an inline question with the destructive choice and a
 * safe one ("Replace gig.json (12 cues)?" / "Remove NDI output "Wall L"? It is
 * sending."). Used wherever one click could lose work or take a picture off a
 * wall (Save As over a show, Remove on a live output). The safe button takes the
 * focus, so a stray Enter or Space keeps things as they are; Escape cancels too.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import './confirm-action.css';

export interface ConfirmActionProps {
  /** The question, naming what would be lost: "Replace /shows/gig.json (12 cues)?" */
  question: string;
  /** More words under the question (why it is dangerous, what stays). */
  detail?: ReactNode;
  /** The destructive button's label ("Replace", "Remove"). */
  confirmLabel: string;
  /** The safe button's label. */
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** data-testid of the bar; its buttons get `${testId}-confirm` and `${testId}-cancel` unless named below. */
  testId: string;
  confirmTestId?: string;
  cancelTestId?: string;
  /** Extra class for placing the bar in its panel. */
  className?: string;
}

export function ConfirmAction({ question, detail, confirmLabel, cancelLabel = 'Cancel', onConfirm, onCancel, testId, confirmTestId, cancelTestId, className }: ConfirmActionProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);
  return (
    <div
      className={`confirm-action${className ? ` ${className}` : ''}`}
      role="alertdialog"
      aria-label={question}
      data-testid={testId}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        onCancel();
      }}
    >
      <p className="confirm-action-question">{question}</p>
      {detail ? <p className="confirm-action-detail">{detail}</p> : null}
      <div className="confirm-action-buttons">
        <button type="button" className="button button--small button--danger confirm-action-confirm" data-testid={confirmTestId ?? `${testId}-confirm`} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" ref={cancelRef} className="button button--small" data-testid={cancelTestId ?? `${testId}-cancel`} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
