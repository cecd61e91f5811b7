import { describe, expect, it } from 'vitest';
import { parseClusterFile } from '../../../../app/engine/cluster/cluster-file.js';

const noTokenFiles = (file: string): string => {
  throw Object.assign(new Error(`no ${file}`), { code: 'ENOENT' });
};

describe('cluster file', () => {
  it('reads nodes with their roles and tokens (tokenFile relative to the cluster file)', () => {
    const text = JSON.stringify({
      nodes: [
        { name: 'wall-left', url: 'http://10.0.0.21:8420/', tokenFile: 'left.token', role: 'primary' },
        { name: 'wall-left-backup', url: 'ws://10.0.0.22:8420/ws', token: 's3cret', role: 'backup' },
        { name: 'ceiling', url: 'http://10.0.0.23:8420/' },
      ],
    });
    const read = parseClusterFile(text, '/rig/cluster.json', (file) => (file === '/rig/left.token' ? 'abc\n' : noTokenFiles(file)));
    expect(read).toEqual({
      ok: true,
      value: [
        { name: 'wall-left', url: 'http://10.0.0.21:8420/', token: 'abc', role: 'primary' },
        { name: 'wall-left-backup', url: 'ws://10.0.0.22:8420/ws', token: 's3cret', role: 'backup' },
        { name: 'ceiling', url: 'http://10.0.0.23:8420/', role: 'node' },
      ],
    });
  });

  it.each([
    [{ nodes: [{ name: 'a', url: '10.0.0.21:8420' }] }, 'nodes.0.url', 'node address like http://'],
    [{ nodes: [{ name: 'a', url: 'http://h:1/', role: 'main' }] }, 'nodes.0.role', '"primary"|"backup"|"node"'],
    [{ nodes: [{ name: '', url: 'http://h:1/' }] }, 'nodes.0.name', '1-40 characters'],
    [{ nodes: [{ name: 'a', url: 'http://h:1/', tokn: 'x' }] }, '(file)', 'tokn'],
    [
      {
        nodes: [
          { name: 'a', url: 'http://h:1/' },
          { name: 'a', url: 'http://h:2/' },
        ],
      },
      'nodes.1.name',
      'listed twice',
    ],
    [
      {
        nodes: [
          { name: 'a', url: 'http://h:1/', role: 'primary' },
          { name: 'b', url: 'http://h:2/', role: 'primary' },
        ],
      },
      'nodes',
      'at most one is on air',
    ],
    [{ nodes: [{ name: 'a', url: 'http://h:1/', token: 'x', tokenFile: 'y' }] }, 'nodes.0.tokenFile', 'not both'],
    [{ node: [] }, '(file)', 'node'],
  ])('a bad file names the field: %j', (file, field, message) => {
    const read = parseClusterFile(JSON.stringify(file), '/rig/cluster.json', noTokenFiles);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error).toContain('/rig/cluster.json');
    if (field !== '(file)') expect(read.error).toContain(`field "${field}"`);
    expect(read.error).toContain(message);
  });

  it('says so when the text is not JSON or a token file cannot be read', () => {
    expect(parseClusterFile('{nodes', '/rig/c.json', noTokenFiles)).toMatchObject({ ok: false, error: expect.stringContaining('is not JSON') });
    const missing = parseClusterFile(JSON.stringify({ nodes: [{ name: 'a', url: 'http://h:1/', tokenFile: 'a.token' }] }), '/rig/c.json', noTokenFiles);
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining('field "nodes.0.tokenFile": cannot read /rig/a.token (ENOENT)') });
  });
});
