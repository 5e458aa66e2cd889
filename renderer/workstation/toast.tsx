import { useCallback, useEffect, useRef, useState } from 'react';

export interface ToastMessage {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export function useToast() {
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const seq = useRef(0);
  const show = useCallback((text: string, kind: ToastMessage['kind'] = 'error') => {
    seq.current += 1;
    setToast({ id: seq.current, kind, text });
  }, []);
  const dismiss = useCallback(() => setToast(null), []);
  return { toast, show, dismiss };
}

export function Toast({ toast, onDismiss }: { toast: ToastMessage | null; onDismiss: () => void }) {
  useEffect(() => {
    if (!toast) return;
    const id = setTimeout(onDismiss, toast.kind === 'error' ? 8_000 : 3_000);
    return () => clearTimeout(id);
  }, [toast, onDismiss]);
  if (!toast) return null;
  return (
    <div
      className={`toast toast-${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-testid={toast.kind === 'error' ? 'error-toast' : 'info-toast'}
      onClick={onDismiss}
      key={toast.id}
    >
      <span className="toast-icon" aria-hidden>
        {toast.kind === 'error' ? '!' : '✓'}
      </span>
      <span className="toast-text">{toast.text}</span>
      <button type="button" className="toast-close" aria-label="关闭" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
