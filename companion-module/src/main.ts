/**
 * The Companion instance: glue between Companion and CycloramaClient. Everything
 * with logic (commands, feedback predicates, presets) lives in the modules it
 * imports and is tested against a real engine; this file only wires them up,
 * since InstanceBase needs Companion itself as its host to run.
 */
import { InstanceBase, InstanceStatus, runEntrypoint, type SomeCompanionConfigField } from '@companion-module/base';
import { actionDefinitions } from './actions.js';
import { configFields, type ModuleConfig } from './config.js';
import { CycloramaClient } from './cyclorama-client.js';
import { feedbackDefinitions } from './feedbacks.js';
import { presetDefinitions } from './presets.js';

class CycloramaInstance extends InstanceBase<ModuleConfig> {
  private client: CycloramaClient | null = null;

  override async init(config: ModuleConfig): Promise<void> {
    this.setActionDefinitions(
      actionDefinitions(
        (command) => this.client?.send(command) ?? Promise.resolve({ ok: false, error: { code: 'not-connected', message: 'Not connected.' } }),
        (action, reply) => this.log('warn', `${action} refused by Cyclorama: ${reply.error?.message ?? 'unknown reason'}`),
      ),
    );
    this.setFeedbackDefinitions(feedbackDefinitions(() => this.client?.state ?? null));
    this.setPresetDefinitions(presetDefinitions());
    this.connect(config);
  }

  override async configUpdated(config: ModuleConfig): Promise<void> {
    this.connect(config);
  }

  override async destroy(): Promise<void> {
    this.client?.close();
    this.client = null;
  }

  override getConfigFields(): SomeCompanionConfigField[] {
    return configFields();
  }

  private connect(config: ModuleConfig): void {
    this.client?.close();
    this.client = new CycloramaClient(CycloramaClient.url(config.host || '127.0.0.1', config.port || 8420, config.token || undefined), {
      status: (status, detail) =>
        this.updateStatus(status === 'ok' ? InstanceStatus.Ok : status === 'connecting' ? InstanceStatus.Connecting : InstanceStatus.Disconnected, detail ?? null),
      state: () => this.checkFeedbacks('cueStandby', 'cueLive', 'panicActive', 'modelRunning'),
    });
  }
}

runEntrypoint(CycloramaInstance, []);
