/**
 * "Do it now, or once more right after the run under way": any number of requests during a run make
 * exactly one more run after it. The promise of a request resolves when no further run was asked
 * for (or `keepGoing()` says stop). A failed run is handed to `onError` and never rejects a request.
 */
export class CoalescedRun {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly keepGoing: () => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.work();
        } catch (err) {
          this.onError(err);
        }
      } while (this.again && this.keepGoing());
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
