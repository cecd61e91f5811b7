/** Entry point: choose the transport, open the one connection, mount the console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngineConnection } from '../../app/contract/index.js';
import { App } from './App.js';
import { TokenGuard } from './components/TokenGuard.js';
import { EngineProvider } from './engine-context.js';
import { createEngineStore } from './engine-store.js';
import { chooseBridge } from './transport.js';
import './styles.css';

// Created once, outside React: StrictMode's double effects must not open two sockets.
const { bridge, description, onTransportStatus, onTokenRevoked } = chooseBridge();
const connection = createEngineConnection(bridge);
const store = createEngineStore(connection, { onTransportStatus });

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html lacks #root');
createRoot(rootElement).render(
  <StrictMode>
    <EngineProvider handle={{ connection, store, transport: description }}>
      <App />
      <TokenGuard onTokenRevoked={onTokenRevoked} />
    </EngineProvider>
  </StrictMode>,
);
