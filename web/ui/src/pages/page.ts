/** A page renders into `root` and may return a cleanup (stop streams, timers). */
export type Page = (root: HTMLElement, params: string[]) => Promise<(() => void) | void>;
