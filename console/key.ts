// The API key the person pasted: kept in this tab's sessionStorage only (gone when the tab closes), never in
// localStorage, a URL or a log.
const NAME = 'agent-gateway.console.key';

export function readKey(): string | null {
  try {
    return sessionStorage.getItem(NAME);
  } catch {
    return null; // storage disabled (a locked-down browser): the person pastes the key again
  }
}

export function saveKey(key: string): void {
  try {
    sessionStorage.setItem(NAME, key);
  } catch {
    // storage disabled: the key lives in memory for this page only
  }
}

export function forgetKey(): void {
  try {
    sessionStorage.removeItem(NAME);
  } catch {
    // storage disabled: nothing was kept
  }
}
