import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface ConfirmButton {
  text: ReactNode;
  testId: string;
  kind?: 'primary' | 'success' | 'danger';
  /** Not allowed yet (a required field empty): the button is disabled and Ctrl+Enter does nothing. */
  disabled?: boolean;
  /** Focus the button on opening instead of the first field. */
  autofocus?: boolean;
}

/**
 * A dialog for the intake actions, with 取消 and one confirm button: Escape or a click outside
 * closes it, focus moves into it on opening (the confirm button if so marked, else the first field,
 * else the confirm button) and back where it was on closing, and Ctrl+Enter confirms from anywhere.
 */
export function Modal({
  title,
  children,
  confirm,
  onClose,
  onConfirm,
  wide = false,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirm: ConfirmButton;
  onClose: () => void;
  onConfirm: () => void;
  wide?: boolean;
  testId?: string;
}) {
  const go = () => {
    if (!confirm.disabled) onConfirm();
  };
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const box = ref.current;
    const first = box?.querySelector<HTMLElement>('[data-autofocus]') ?? box?.querySelector<HTMLElement>('textarea, input, select');
    (first ?? box?.querySelector<HTMLElement>('.btn-primary, .btn-success, .btn-danger'))?.focus();
    return () => before?.focus?.();
  }, []);
  // On <body>: a dialog opened from the sticky actions bar must not share its stacking context.
  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={`modal ${wide ? 'modal-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            go();
          }
        }}
      >
        <div className="modal-head">
          <h3>{title}</h3>
          <button type="button" className="icon-btn" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="modal-body">{children}</div>
        <div className="modal-foot">
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button
            type="button"
            className={`btn btn-${confirm.kind ?? 'primary'}`}
            data-testid={confirm.testId}
            data-autofocus={confirm.autofocus ? true : undefined}
            disabled={confirm.disabled}
            onClick={go}
          >
            {confirm.text}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
