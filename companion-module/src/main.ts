/**
 * The Companion instance: glue between Companion and CycloramaClient. Everything
 * with logic (commands, feedback predicates, presets) lives in the modules it
 * imports; this file wires them up and turns the connection's events into
 * Companion's status. tests/integration/companion-host.test.ts runs it as Companion
 * does (a child process on Companion's IPC protocol) against a real engine.
 */
import { InstanceBase, InstanceStatus, runEntrypoint, type SomeCompanionConfigField } from '@companion-module/base';
import { actionDefinitions } from './actions.js';
import { configFields, type ModuleConfig } from './config.js';
import { CycloramaClient } from './cyclorama-client.js';
import { feedbackDefinitions } from './feedbacks.js';
import { presetDefinitions } from './presets.js';

class CycloramaInstance extends InstanceBase<ModuleConfig> {
  private client: CycloramaClient | null = null;
  /** Bumped per connection (and on destroy), so a replaced client's late events are ignored. */
  private generation = 0;

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
    this.generation++;
    this.client?.close();
    this.client = null;
  }

  override getConfigFields(): SomeCompanionConfigField[] {
    return configFields();
  }

  private connect(config: ModuleConfig): void {
    this.client?.close();
    // The closed client still reports its socket closing, possibly after the new one
    // has reported; only the current connection may set the status.
    const generation = ++this.generation;
    let failure: string | null = null;
    this.client = new CycloramaClient(CycloramaClient.url(config.host || '127.0.0.1', config.port || 8420, config.token || undefined), {
      status: (status, detail) => {
        if (generation !== this.generation) return;
        // A failed attempt reports the socket's error ("ECONNREFUSED", "401"), then a
        // bare "connection closed (1006)": keep the first, it is the one that says why.
        failure = status === 'disconnected' ? (failure ?? detail ?? null) : null;
        this.updateStatus(status === 'ok' ? InstanceStatus.Ok : status === 'connecting' ? InstanceStatus.Connecting : InstanceStatus.Disconnected, failure ?? detail ?? null);
      },
      // Every feedback reads the state, so all are rechecked on each snapshot.
      state: () => this.checkFeedbacks(),
    });
    // The new connection has no state yet: buttons stop showing the previous one's cues.
    this.checkFeedbacks();
  }
}

runEntrypoint(CycloramaInstance, []);
