// Checks a downloaded file and puts it in web-llm's cache, off the page's thread (see writer.ts).
import { checkFile } from './integrity';
import { storageError } from './quota';
import { putFile } from './disk';
import type { WriteReply, WriteRequest } from './writer';

self.onmessage = async (event: MessageEvent<WriteRequest>) => {
  const { id, file, data } = event.data;
  let reply: WriteReply;
  try {
    const problem = await checkFile(file, data);
    if (problem === undefined) await putFile(file, data);
    reply = problem === undefined ? { id } : { id, problem };
  } catch (error) {
    reply = { id, error: storageError(error).toJSON() };
  }
  self.postMessage(reply);
};
