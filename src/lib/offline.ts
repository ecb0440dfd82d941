// Whether the browser knows it has no network. Node has no such knowledge (and Node 21+'s
// navigator has no onLine), so there the answer is always no and a failed request says so itself.
export function knownOffline(): boolean {
  return typeof navigator !== 'undefined' && 'onLine' in navigator && !navigator.onLine;
}
