// The engine worker: web-llm's MLCEngine served to the page over Tally's protocol (worker-host.ts).
import { MLCEngine } from '@mlc-ai/web-llm';
import { serveEngine } from './worker-host';

serveEngine(new MLCEngine(), self);
