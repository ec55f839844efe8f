/** A counter store: memory in one process, Redis when instances must share counts. */
export type CounterStore = {
  /** Counts one hit on `key` in the current fixed window; answers the count and the seconds left in the window. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
  close(): Promise<void>;
};

export type LimitedAction = 'signIn' | 'send' | 'verify';
