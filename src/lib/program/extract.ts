// Finds the Python program in a model's reply: fenced code blocks, else the bare code in it.
// Returns null when the reply holds no program; model output is untrusted and nothing here throws.

/** Info strings of fenced blocks that hold Python. */
const pythonFence = /^(?:python3?|py)$/i;

/** A line that can only be code: a statement keyword, an assignment, a call, a decorator or a comment. */
const codeLine =
  /^(?:(?:def|class|import|from|for|while|if|elif|else|try|except|finally|with|return|raise|assert|pass|break|continue|global|nonlocal|del|lambda)\b|@\w|#|print\s*\(|[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\s*,\s*[A-Za-z_][\w.]*)*\s*(?:[-+*/%&|^]|\*\*|\/\/)?=(?!=)|[A-Za-z_][\w.]*\(.*\)\s*$)/;

interface Block {
  info: string;
  body: string;
}

/** Every fenced block (``` or ~~~); a block the reply ends inside runs to the end. */
function fencedBlocks(reply: string): Block[] {
  const blocks: Block[] = [];
  const lines = reply.split(/\r?\n/);
  let open: { fence: string; info: string; body: string[] } | null = null;
  for (const line of lines) {
    if (open === null) {
      const start = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
      if (start) open = { fence: start[1] ?? '```', info: start[2] ?? '', body: [] };
    } else if (line.trim().startsWith(open.fence) && line.trim().replace(/[`~]/g, '') === '') {
      blocks.push({ info: open.info, body: open.body.join('\n') });
      open = null;
    } else {
      open.body.push(line);
    }
  }
  if (open !== null) blocks.push({ info: open.info, body: open.body.join('\n') });
  return blocks;
}

/** Lines from the first to the last that can only be code (indented lines count inside it). */
function bareProgram(reply: string): string | null {
  const lines = reply.split(/\r?\n/);
  const isCode = (line: string): boolean => /^\s+\S/.test(line) || codeLine.test(line);
  const first = lines.findIndex((line) => codeLine.test(line));
  if (first < 0) return null;
  let last = lines.length - 1;
  while (last > first && !isCode(lines[last] ?? '')) last -= 1;
  return lines.slice(first, last + 1).join('\n');
}

/**
 * The program in `reply`. Fenced blocks marked python (or py) win, joined in order, because
 * Qwen's tool-integrated replies split one program over several blocks, each using names from
 * the ones before; ```output blocks (what the model imagines the code prints) are never code.
 * Without python blocks, unmarked fenced blocks are taken; without any fence, the bare code.
 */
export function extractProgram(reply: string): string | null {
  const blocks = fencedBlocks(reply);
  const python = blocks.filter((b) => pythonFence.test(b.info));
  const chosen = python.length > 0 ? python : blocks.filter((b) => b.info === '');
  const code =
    chosen.length > 0
      ? chosen.map((b) => b.body).join('\n\n')
      : blocks.length > 0
        ? null
        : bareProgram(reply);
  return code !== null && code.trim() !== '' ? code : null;
}
