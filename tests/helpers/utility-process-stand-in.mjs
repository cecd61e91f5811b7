// Stand-in for Electron's utility process environment (Electron's binary cannot be
// downloaded here): loaded with `node --import` into a child_process.fork child, it
// gives the engine's utility-entry the `process.parentPort` Electron would, over
// Node's IPC channel. MessagePorts cannot cross that channel, so `ports` is empty.
process.parentPort = {
  postMessage: (message) => process.send?.(message),
  on: (event, listener) => {
    if (event === 'message') process.on('message', (data) => listener({ data, ports: [] }));
  },
};
