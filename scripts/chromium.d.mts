/** Flags every test browser gets. */
export const chromiumArgs: string[];
/** A Chromium binary to drive, or undefined when there is none. */
export function findChromium(): string | undefined;
/** What `ensureChromium` asks of the machine (by default, this one). */
export interface Machine {
  find(): string | undefined;
  canInstall(): boolean;
  run(command: string, args: string[]): boolean;
}
/** A Chromium binary, installed first when none is found and it can be; throws naming the fix. */
export function ensureChromium(machine?: Machine): string;
