// Hosts web-llm's engine off the main thread, exactly as web-llm documents it; nothing else lives here.
// Errors travel back as web-llm's 'throw' replies and are mapped on the page (errors.ts).
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (event: MessageEvent) => {
  handler.onmessage(event);
};
