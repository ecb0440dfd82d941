// Which page of the app is showing: the solver, or the embed page (`#embed`). A hash route, so the
// service worker's one cached index.html serves both, online or not. Unknown hashes show the solver.

export type Page = 'solve' | 'embed';

function pageOf(hash: string): Page {
  return hash === '#embed' ? 'embed' : 'solve';
}

export class HashRoute {
  page = $state<Page>(pageOf(location.hash));

  /** Follows the address bar; returns the function that stops following it. */
  listen(): () => void {
    const update = () => {
      this.page = pageOf(location.hash);
    };
    addEventListener('hashchange', update);
    return () => {
      removeEventListener('hashchange', update);
    };
  }
}
