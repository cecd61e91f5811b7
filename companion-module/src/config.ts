/** Connection settings shown in Companion's module config. */
import { Regex, type SomeCompanionConfigField } from '@companion-module/base';

export interface ModuleConfig {
  host: string;
  port: number;
  token: string;
}

export function configFields(): SomeCompanionConfigField[] {
  return [
    {
      type: 'static-text',
      id: 'info',
      label: 'Cyclorama',
      value: "Connects to a Cyclorama node's WebSocket API (the console's address). Beyond localhost the node needs network control on and its access token.",
      width: 12,
    },
    { type: 'textinput', id: 'host', label: 'Host', default: '127.0.0.1', regex: Regex.HOSTNAME, width: 6 },
    { type: 'number', id: 'port', label: 'Port', default: 8420, min: 1, max: 65535, width: 3 },
    { type: 'textinput', id: 'token', label: 'Access token (network control only)', default: '', width: 12 },
  ];
}
