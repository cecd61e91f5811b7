/**
 * Reads a cluster file (contract/cluster.ts clusterFileSchema): JSON listing the
 * nodes a director drives. Every problem is one message naming the file and the
 * field ("nodes.1.url: ...") and what to do; tokens from `tokenFile` are read
 * relative to the cluster file's folder and never leave this process's memory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterFileSchema, type ClusterNodeSpec } from '../../contract/cluster.js';

/** Nodes, or the one line that says what is wrong. */
export type ClusterFileRead = { ok: true; value: ClusterNodeSpec[] } | { ok: false; error: string };

/** A cluster file is a short list; anything bigger is not one. */
const MAX_CLUSTER_FILE_BYTES = 256 * 1024;

/** Parses cluster file text; `file` names it in messages, `readToken` reads a tokenFile (relative paths already resolved). */
export function parseClusterFile(text: string, file: string, readToken: (tokenFile: string) => string): ClusterFileRead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: `cluster file ${file} is not JSON (${(error as Error).message}); it lists the nodes as {"nodes": [{"name", "url", "token" or "tokenFile", "role"}]}.`,
    };
  }
  const parsed = clusterFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(file)';
    return { ok: false, error: `cluster file ${file}: field "${field}": ${issue?.message ?? 'invalid'}. Fix that field and start again.` };
  }
  const nodes: ClusterNodeSpec[] = [];
  for (const [index, node] of parsed.data.nodes.entries()) {
    let token = node.token;
    if (node.tokenFile) {
      const tokenPath = path.resolve(path.dirname(file), node.tokenFile);
      try {
        token = readToken(tokenPath).trim();
      } catch (error) {
        return {
          ok: false,
          error: `cluster file ${file}: field "nodes.${index}.tokenFile": cannot read ${tokenPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
        };
      }
      if (!token) return { ok: false, error: `cluster file ${file}: field "nodes.${index}.tokenFile": ${tokenPath} is empty; put node ${node.name}'s --token in it.` };
    }
    nodes.push({ name: node.name, url: node.url, role: node.role, ...(token ? { token } : {}) });
  }
  return { ok: true, value: nodes };
}

/** Reads and parses the cluster file at `file`. */
export function readClusterFile(file: string): ClusterFileRead {
  const absolute = path.resolve(file);
  let text: string;
  try {
    const bytes = readFileSync(absolute);
    if (bytes.length > MAX_CLUSTER_FILE_BYTES) return { ok: false, error: `cluster file ${absolute} is ${bytes.length} bytes; a cluster file is a short JSON list of nodes.` };
    text = bytes.toString('utf8');
  } catch (error) {
    return { ok: false, error: `cannot read cluster file ${absolute} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).` };
  }
  return parseClusterFile(text, absolute, (tokenFile) => readFileSync(tokenFile, 'utf8'));
}
