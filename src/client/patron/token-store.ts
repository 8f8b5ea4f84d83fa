/** Where a patron's chat tokens live between page loads: this browser's localStorage, per session. */
const key = (sessionId: string) => `refdesk.chat.${sessionId}`;

export const tokenStore = {
  save(sessionId: string, token: string): void {
    try {
      localStorage.setItem(key(sessionId), token);
    } catch {
      // Storage can be blocked (private modes); the chat still works until reload.
    }
  },
  load(sessionId: string): string | null {
    try {
      return localStorage.getItem(key(sessionId));
    } catch {
      return null;
    }
  },
  forget(sessionId: string): void {
    try {
      localStorage.removeItem(key(sessionId));
    } catch {
      // Nothing to forget.
    }
  },
};
