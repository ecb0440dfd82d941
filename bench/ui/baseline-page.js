// The baseline of `npm run bench:ui`: a page that only appends streamed text. It makes the same
// requests as Tally (one greedy call, then k samples with `lanes` in flight), parses the SSE
// stream in the plainest way and appends each piece to a text node, one <pre> per stream.
// It is inlined into a blank page by bench/ui/run.ts; `window.baseline(config)` runs it.

/** Streams one completion into a new <pre>; resolves when the server ends the stream. */
async function stream(out, { baseUrl, model, messages }, sampling) {
  const pre = document.createElement('pre');
  const text = pre.appendChild(document.createTextNode(''));
  out.append(pre);
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model, messages, stream: true, ...sampling }),
  });
  if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]') continue;
      const piece = JSON.parse(data).choices[0]?.delta?.content;
      if (piece) text.appendData(piece);
    }
  }
}

window.baseline = async (config) => {
  const out = document.getElementById('out');
  await stream(out, config, { temperature: 0 });
  let next = 0;
  const lane = async () => {
    while (next < config.k) {
      next += 1;
      await stream(out, config, { temperature: config.temperature });
    }
  };
  await Promise.all(Array.from({ length: config.lanes }, lane));
};
