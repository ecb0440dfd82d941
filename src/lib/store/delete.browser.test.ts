// Delete removes what one model holds and nothing of another's (issue 20, item 7): in Chromium's
// IndexedDB, with the saved records and web-llm's keys written as a download leaves them.
import { expect, test } from 'vitest';
import {
  CHAT_CONFIG,
  ENTRY_FORMAT,
  TENSOR_CACHE,
  allUrls,
  listModels,
  modelBase,
  putFile,
  removeModel,
  writeEntry,
  type FileState,
} from './disk';

let counter = 0;

/** A name no other test uses. */
const unique = (name: string) => `${name}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A model folder URL of its own (nothing is fetched: the files are written directly). */
const folder = (name: string) => `https://models.example/${unique(name)}`;

/** The files a download of the model at `model` leaves in web-llm's databases. */
async function storeFiles(model: string): Promise<FileState[]> {
  const base = modelBase(model);
  const file = (name: string, db: FileState['db'], size: number): FileState => ({
    name,
    url: new URL(name, base).href,
    db,
    kind: name === TENSOR_CACHE ? 'json' : 'arraybuffer',
    size,
    shard: name.startsWith('params'),
    done: true,
  });
  const files = [
    file(CHAT_CONFIG, 'webllm/config', 2),
    file('tokenizer.json', 'webllm/model', 2),
    file('params_shard_0.bin', 'webllm/model', 100),
    file(TENSOR_CACHE, 'webllm/model', 0),
  ];
  for (const f of files) {
    await putFile(
      f,
      f.kind === 'json'
        ? { records: [{ dataPath: 'params_shard_0.bin', nbytes: 100 }] }
        : new ArrayBuffer(f.size ?? 0),
    );
  }
  return files;
}

/** A model downloaded by Tally: its files and its saved entry. */
async function download(id: string, model: string): Promise<FileState[]> {
  const files = await storeFiles(model);
  await writeEntry({
    format: ENTRY_FORMAT,
    id,
    model: { id, model, model_lib: `https://libs.example/${id}.wasm` },
    base: modelBase(model),
    files,
    status: 'complete',
    updatedAt: 0,
  });
  return files;
}

async function keys(): Promise<Set<string>> {
  const all = await Promise.all([allUrls('webllm/model'), allUrls('webllm/config')]);
  return new Set(all.flat());
}

const urls = (files: FileState[]) => files.map((f) => f.url);

test('deleting a model leaves a model whose folder lies inside its folder complete', async () => {
  const [aId, bId, outer] = [unique('a'), unique('b'), folder('outer')];
  const a = await download(aId, outer);
  // B's folder URL is inside A's: https://…/outer/resolve/main/inner/
  const b = await download(bId, `${modelBase(outer)}inner`);
  expect(b[0]?.url.startsWith(modelBase(outer))).toBe(true);

  await removeModel(aId);
  const left = await keys();
  for (const url of urls(a)) expect(left.has(url), url).toBe(false);
  for (const url of urls(b)) expect(left.has(url), url).toBe(true);
  const { models: listed } = await listModels();
  expect(listed.find((m) => m.key === bId)?.status).toBe('complete');
  expect(listed.some((m) => m.key === aId)).toBe(false);
  await removeModel(bId);
});

test('deleting a folder web-llm fetched itself leaves the models inside it', async () => {
  const [id, outer] = [unique('inside'), folder('fetched')];
  const fetched = await storeFiles(outer);
  const inner = await download(id, `${modelBase(outer)}inner`);
  const nested = await storeFiles(`${modelBase(outer)}other`);
  expect((await listModels()).models.find((m) => m.key === modelBase(outer))?.foreign).toBe(true);

  await removeModel(modelBase(outer));
  const left = await keys();
  for (const url of urls(fetched)) expect(left.has(url), url).toBe(false);
  for (const url of [...urls(inner), ...urls(nested)]) expect(left.has(url), url).toBe(true);
  expect((await listModels()).models.find((m) => m.key === id)?.status).toBe('complete');
  await removeModel(id);
  await removeModel(modelBase(`${modelBase(outer)}other`));
});
