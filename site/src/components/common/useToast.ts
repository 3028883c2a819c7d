/** One short-lived notice at a time (a refused command, a copied link). */
import { useEffect, useState } from 'preact/hooks';

export interface Toast {
  text: string;
  tone: 'error' | 'info';
  at: number;
}

export function useToast(ms = 4000): [Toast | null, (text: string, tone?: Toast['tone']) => void] {
  const [toast, setToast] = useState<Toast | null>(null);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), ms);
    return () => clearTimeout(t);
  }, [toast]);
  return [toast, (text, tone = 'error') => setToast({ text, tone, at: Date.now() })];
}
