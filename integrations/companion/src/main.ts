/**
 * Keeptime for Bitfocus Companion: the InstanceBase subclass, kept thin. The room connection (connection.ts), the
 * derivations (state.ts) and the local display clock (display.ts) do the work; this wires them to Companion.
 */
import { InstanceBase, InstanceStatus, type SomeCompanionConfigField } from '@companion-module/base';
import type { RoomClientCommand } from '../../../core/protocol.ts';
import { actionDefinitions, timerChoices } from './actions.ts';
import { type ModuleConfig, type ModuleSecrets, configFields, parseConfig } from './config.ts';
import {
  type ConnectionIO,
  type ConnectionOptions,
  type ConnectionStatus,
  RoomConnection,
  nodeIO,
} from './connection.ts';
import { Display } from './display.ts';
import { emptyView } from './state.ts';
import { feedbackDefinitions } from './feedbacks.ts';
import { presetDefinitions } from './presets.ts';
import type { ModuleSchema } from './schema.ts';
import { UpgradeScripts } from './upgrades.ts';
import { variableDefinitions } from './variables.ts';

export { UpgradeScripts };
export type { ModuleSchema };

const STATUS: Record<ConnectionStatus, InstanceStatus> = {
  ok: InstanceStatus.Ok,
  connecting: InstanceStatus.Connecting,
  disconnected: InstanceStatus.Disconnected,
  bad_config: InstanceStatus.BadConfig,
};

export default class KeeptimeInstance extends InstanceBase<ModuleSchema> {
  /** The live connection and display, while the configuration is usable. */
  connection: RoomConnection | null = null;
  display: Display | null = null;
  /** Overridable in tests (a counting fetch, shorter timers). */
  io: ConnectionIO = nodeIO();
  connectionOptions: Partial<ConnectionOptions> = {};
  private timerChoicesKey = '';

  async init(config: ModuleConfig, _isFirstInit: boolean, secrets: ModuleSecrets): Promise<void> {
    this.setVariableDefinitions(variableDefinitions());
    this.setFeedbackDefinitions(feedbackDefinitions(() => this.display?.current ?? null));
    const { structure, presets } = presetDefinitions(this.label);
    this.setPresetDefinitions(structure, presets);
    this.updateActions();
    this.connect(config, secrets);
  }

  async configUpdated(config: ModuleConfig, secrets: ModuleSecrets): Promise<void> {
    this.connect(config, secrets);
  }

  async destroy(): Promise<void> {
    this.disconnect();
  }

  getConfigFields(): SomeCompanionConfigField[] {
    return configFields();
  }

  private connect(config: ModuleConfig, secrets: ModuleSecrets): void {
    this.disconnect();
    const parsed = parseConfig(config, secrets ?? {});
    if (!parsed.ok) {
      this.updateStatus(InstanceStatus.BadConfig, parsed.error);
      return;
    }
    const conn = new RoomConnection(
      parsed.target,
      this.io,
      {
        view: () => {
          this.display?.render();
          this.refreshTimerChoices();
        },
        status: (s, message) => this.updateStatus(STATUS[s], message),
        log: (level, message) => this.log(level, message),
      },
      this.connectionOptions,
    );
    const display = new Display(conn, {
      setVariableValues: (values) => this.setVariableValues(values),
      checkFeedbacks: (types) => {
        const [first, ...rest] = types;
        if (first) this.checkFeedbacks(first, ...rest);
      },
    });
    this.connection = conn;
    this.display = display;
    conn.start();
    display.start();
  }

  private disconnect(): void {
    this.display?.stop();
    this.connection?.stop();
    this.display = null;
    this.connection = null;
  }

  /** Runs a command; a refusal is logged (Companion shows it in the connection's log). */
  async run(command: RoomClientCommand): Promise<void> {
    const conn = this.connection;
    if (!conn) {
      this.log('warn', `Keeptime: not connected; ${command.type} not sent`);
      return;
    }
    const r = await conn.command(command);
    if (!r.ok) this.log('warn', `Keeptime: ${command.type} refused: ${r.code}: ${r.message}`);
  }

  private updateActions(): void {
    this.setActionDefinitions(
      actionDefinitions({
        view: () => this.connection?.state ?? emptyView(),
        run: (c) => this.run(c),
      }),
    );
  }

  /** The "select a timer" dropdown lists the room's timers: redefine the actions when they change. */
  private refreshTimerChoices(): void {
    const view = this.connection?.state;
    if (!view) return;
    const key = JSON.stringify(timerChoices(view));
    if (key === this.timerChoicesKey) return;
    this.timerChoicesKey = key;
    this.updateActions();
  }
}
