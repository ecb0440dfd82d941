// Widget options from the two places a page can write them without scripting: a `<script data-…>`
// tag (embed.js) and a plain iframe's query (embed.html?…). Invalid fields are dropped, never sent.
import { PROTOCOL, PROTOCOL_VERSION, parseHostMessage, type WidgetOptions } from './protocol';

function check(options: Record<string, unknown>): WidgetOptions | undefined {
  const parsed = parseHostMessage({
    protocol: PROTOCOL,
    v: PROTOCOL_VERSION,
    type: 'configure',
    options,
  });
  return parsed?.type === 'configure' ? parsed.options : undefined;
}

/** The valid fields of `candidate`, each checked alone when the whole does not pass; `onDrop` hears the rest. */
function keepValid(
  candidate: Record<string, unknown>,
  onDrop: (key: string) => void = () => undefined,
): WidgetOptions {
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  const whole = check(defined);
  if (whole) return whole;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defined)) {
    if (check({ [key]: value })) kept[key] = value;
    else onDrop(key);
  }
  return check(kept) ?? {};
}

/** Reads a `<script data-…>` tag's options (data-question, data-mode, data-k, data-model,
 * data-model-url + data-model-lib, data-server-url + data-server-model (+ data-server-key),
 * data-autorun). */
export function optionsFromDataset(
  data: DOMStringMap,
  onDrop?: (key: string) => void,
): WidgetOptions {
  return keepValid(
    {
      question: data.question,
      mode: data.mode,
      k: data.k === undefined ? undefined : Number(data.k),
      model: data.model,
      customModel:
        data.modelUrl === undefined || data.modelLib === undefined
          ? undefined
          : { modelUrl: data.modelUrl, libUrl: data.modelLib },
      server:
        data.serverUrl === undefined
          ? undefined
          : {
              baseUrl: data.serverUrl,
              model: data.serverModel ?? '',
              ...(data.serverKey === undefined ? {} : { apiKey: data.serverKey }),
            },
      autorun: data.autorun === undefined ? undefined : data.autorun !== 'false',
    },
    onDrop,
  );
}

/** Reads a plain iframe's query: question, mode, k, model, server + server-model, autorun.
 * An API key is never read from a URL (it would sit in logs and histories). */
export function optionsFromQuery(search: string): WidgetOptions {
  const q = new URLSearchParams(search);
  const k = q.get('k');
  const server = q.get('server');
  return keepValid({
    question: q.get('question') ?? undefined,
    mode: q.get('mode') ?? undefined,
    k: k === null ? undefined : Number(k),
    model: q.get('model') ?? undefined,
    server: server === null ? undefined : { baseUrl: server, model: q.get('server-model') ?? '' },
    autorun: q.has('autorun') ? true : undefined,
  });
}
