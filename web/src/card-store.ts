// Model cards saved in this browser (localStorage), keyed by the model file's fingerprint, so a
// card typed once is applied again whenever the same file is loaded. Storage may be unavailable
// (private mode, quota): then cards live for the page session only, and the page says so.
import type { ModelCard } from './protocol.ts';

const PREFIX = 'inversa.card.v1.';

export interface SavedCard {
  card: ModelCard;
  /** ISO time of the last save. */
  savedAt: string;
  /** Model file name when saved. */
  name: string;
  /** False when the browser refused to store it. */
  persisted: boolean;
}

export function loadCard(fingerprint: string): SavedCard | null {
  try {
    const text = localStorage.getItem(PREFIX + fingerprint);
    if (!text) return null;
    const saved = JSON.parse(text) as SavedCard;
    return saved && typeof saved === 'object' && saved.card && Array.isArray(saved.card.inputNames) ? { ...saved, persisted: true } : null;
  } catch {
    return null;
  }
}

export function saveCard(fingerprint: string, name: string, card: ModelCard): SavedCard {
  const saved: SavedCard = { card, savedAt: new Date().toISOString(), name, persisted: true };
  try {
    localStorage.setItem(PREFIX + fingerprint, JSON.stringify(saved));
  } catch {
    saved.persisted = false;
  }
  return saved;
}

export function removeCard(fingerprint: string): void {
  try {
    localStorage.removeItem(PREFIX + fingerprint);
  } catch {
    /* nothing stored */
  }
}
