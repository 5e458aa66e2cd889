import { useEffect, useRef } from 'react';
import './intake.css';
import type { TicketView } from '../../../shared/hall/views.js';
import type { Run } from '../App.js';
import { CaseWorkspace } from './CaseWorkspace.js';
import { MatterSearch } from './MatterSearch.js';
import type { Intake } from './useIntake.js';

/**
 * 受理办件: the matter search while no case is open, else the open case. F6 goes back to the search
 * from a case (its form saved first).
 */
export function IntakeArea({
  run,
  intake,
  ticket,
  notify,
  online,
}: {
  run: Run;
  intake: Intake;
  ticket: TicketView | null;
  online: boolean;
  notify: (text: string, kind?: 'error' | 'info') => void;
}) {
  const { view } = intake;
  const closeRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F6' || !closeRef.current || document.querySelector('.modal')) return;
      e.preventDefault();
      closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const close = () => {
    (document.activeElement as HTMLElement | null)?.blur?.(); // leave the field: its blur saves it
    intake.close();
  };
  closeRef.current = view ? close : null;

  return (
    <div className="intake" data-testid="intake">
      {view ? (
        <CaseWorkspace key={view.summary.caseId} view={view} act={intake.act} onClose={intake.close} notify={notify} online={online} />
      ) : (
        <MatterSearch run={run} act={intake.act} ticket={ticket} />
      )}
    </div>
  );
}
