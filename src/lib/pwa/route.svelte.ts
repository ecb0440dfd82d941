// Which page of the app is showing: the solver, the benchmark (`#bench`) or the embed page
// (`#embed`). A hash route, so the service worker's one cached index.html serves all three, online
// or not. Unknown hashes show the solver.

export type Page = 'solve' | 'bench' | 'embed';

function pageOf(hash: string): Page {
  return hash === '#embed' ? 'embed' : hash === '#bench' ? 'bench' : 'solve';
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
