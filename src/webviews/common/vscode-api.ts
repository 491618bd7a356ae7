/**
 * The one place that touches `acquireVsCodeApi`: typed posting, persisted state, and a listener
 * for host messages. The handshake is the caller's: post `ready` first, render after `init`.
 */

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface WebviewChannel<ToHost, FromHost extends { type: string }, State> {
  post(message: ToHost): void;
  /** Persisted across hide/show and reloads (the host's serializer gets it too). */
  getState(): State | undefined;
  setState(state: State): void;
  onMessage(handler: (message: FromHost) => void): void;
}

/** Messages from the host are trusted for shape, but anything without a string `type` is dropped. */
function isTypedMessage(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function connect<ToHost, FromHost extends { type: string }, State>(): WebviewChannel<ToHost, FromHost, State> {
  const api = acquireVsCodeApi<State>();
  return {
    post: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
    onMessage: (handler) => {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (isTypedMessage(event.data)) handler(event.data as FromHost);
      });
    },
  };
}
