// The installed-app side of Tally: service worker registration (workbox-window), "update ready",
// and the browser's install offer. A browser without service workers simply never sets a flag.
import { Workbox } from 'workbox-window';

/** Chromium's install offer; not in TypeScript's DOM library. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
}

function isInstallPrompt(event: Event): event is BeforeInstallPromptEvent {
  return 'prompt' in event && typeof event.prompt === 'function';
}

/** How often an open Tally asks the server for a new version, milliseconds. */
export const updateCheckInterval = 60 * 60 * 1000;

export class PwaState {
  /** a new version is installed and waits for the person to switch to it */
  updateReady = $state(false);
  /** the switch was asked for; the page reloads once the new version controls it */
  updating = $state(false);
  /** this version is cached: Tally opens with no network from now on */
  offlineReady = $state(false);
  /** the browser offers to install Tally as an app */
  canInstall = $state(false);
  /** Tally runs as an installed app, or was just installed */
  installed = $state(false);
  /** why the service worker could not be registered; empty when it was */
  error = $state('');
  #workbox: Workbox | undefined;
  #offer: BeforeInstallPromptEvent | undefined;

  /**
   * Registers the service worker at `url` and listens for install offers. Production builds only:
   * the dev server has no service worker.
   */
  start(url = `${import.meta.env.BASE_URL}sw.js`): void {
    this.installed = matchMedia('(display-mode: standalone)').matches;
    addEventListener('beforeinstallprompt', (event) => {
      if (!isInstallPrompt(event)) return;
      event.preventDefault(); // keep the offer for the install button instead of the mini-infobar
      this.#offer = event;
      this.canInstall = true;
    });
    addEventListener('appinstalled', () => {
      this.#offer = undefined;
      this.canInstall = false;
      this.installed = true;
    });
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
    const workbox = new Workbox(url, { scope: import.meta.env.BASE_URL });
    this.#workbox = workbox;
    workbox.addEventListener('installed', (event) => {
      if (!event.isUpdate) this.offlineReady = true;
    });
    workbox.addEventListener('waiting', () => {
      this.updateReady = true;
    });
    workbox.addEventListener('controlling', () => {
      if (this.updating) location.reload();
    });
    workbox.register().then(
      () => {
        this.offlineReady ||= navigator.serviceWorker.controller !== null;
        setInterval(() => {
          workbox.update().catch(() => undefined); // offline: try again next time
        }, updateCheckInterval);
      },
      (error: unknown) => {
        this.error = `Offline use is unavailable: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }

  /** Switches to the waiting version: it takes control, then the page reloads into it. */
  applyUpdate(): void {
    if (!this.#workbox || !this.updateReady) return;
    this.updating = true;
    this.#workbox.messageSkipWaiting();
  }

  /** Shows the browser's install dialog; resolves true when the person accepted. */
  async install(): Promise<boolean> {
    const offer = this.#offer;
    if (!offer) return false;
    this.#offer = undefined;
    this.canInstall = false;
    await offer.prompt();
    const { outcome } = await offer.userChoice;
    return outcome === 'accepted';
  }
}
