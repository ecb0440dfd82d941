// The version string of this build, shown in the footer so a person can tell an update arrived.
// vite.config.ts defines __APP_VERSION__; outside a Vite build (Node tests) it reads 'dev'.

declare const __APP_VERSION__: string | undefined;

/** package.json's version, or TALLY_APP_VERSION when the build set one. */
export const appVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
