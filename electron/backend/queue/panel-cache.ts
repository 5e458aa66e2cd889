import { WindowPanel } from '../../../shared/hall/views.js';
import type { Db } from '../store/database.js';

/** The last panel the hall server sent for a window, kept so the window still shows it offline. */
export function savePanel(db: Db, panel: WindowPanel, at: number): void {
  db.prepare(
    `INSERT INTO panel_cache (window_id, fetched_at, json) VALUES (?, ?, ?)
     ON CONFLICT(window_id) DO UPDATE SET fetched_at = excluded.fetched_at, json = excluded.json`,
  ).run(panel.window.id, at, JSON.stringify(panel));
}

export function loadPanel(db: Db, windowId: string): WindowPanel | null {
  const row = db.prepare('SELECT json FROM panel_cache WHERE window_id = ?').get(windowId) as { json: string } | undefined;
  if (!row) return null;
  const parsed = WindowPanel.safeParse(JSON.parse(row.json));
  return parsed.success ? parsed.data : null;
}
