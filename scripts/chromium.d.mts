/** Flags every test browser gets. */
export const chromiumArgs: string[];
/** A Chromium binary to drive, or undefined when there is none. */
export function findChromium(): string | undefined;
