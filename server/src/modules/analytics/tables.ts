import type { Generated } from 'kysely';
import type {
  CreatedAt,
  Id,
  Json,
  JsonWithDefault,
  NullableTimestamp,
  Timestamp,
  UpdatedAt,
} from '../../platform/db/types.ts';

export type AlertMetric = 'online_drop_pct' | 'online_below' | 'conversion_below' | 'gpm_below';
export interface Variant {
  key: string;
  weight: number;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    analytics_events: {
      id: Id;
      type: string;
      source: 'client' | 'server';
      device_id: Generated<string>;
      dedupe_key: string | null;
      user_id: number | null;
      merchant_id: number | null;
      room_id: number | null;
      product_id: number | null;
      amount_fen: Generated<number>;
      seconds: Generated<number>;
      props: JsonWithDefault<Record<string, unknown>>;
      occurred_at: Timestamp;
      received_at: CreatedAt;
      /** The sharer a shared page was opened with (mini-program ?sharer=), for attribution. */
      sharer: Generated<string | null>;
    };
    analytics_devices: { device_id: string; user_id: number; linked_at: CreatedAt };
    analytics_rollup_state: { source: string; last_id: Generated<number>; updated_at: UpdatedAt };
    analytics_online_samples: { room_id: number; at: Timestamp; merchant_id: number; online: number };
    analytics_alert_rules: {
      id: Id;
      merchant_id: number;
      name: string;
      metric: AlertMetric;
      threshold: number | string;
      room_id: number | null;
      min_visitors: Generated<number>;
      cooldown_sec: Generated<number>;
      webhook_url: string | null;
      webhook_secret: string | null;
      enabled: Generated<boolean>;
      created_at: CreatedAt;
    };
    analytics_alerts: {
      id: Id;
      rule_id: number;
      merchant_id: number;
      room_id: number;
      value: number | string;
      message: string;
      fired_at: Timestamp;
      acknowledged_at: NullableTimestamp;
    };
    analytics_experiments: {
      id: Id;
      merchant_id: number;
      key: string;
      name: string;
      variants: Json<Variant[]>;
      goal: string;
      status: Generated<'running' | 'stopped'>;
      created_at: CreatedAt;
    };
    analytics_experiment_units: {
      experiment_id: number;
      unit: string;
      variant: string;
      user_id: number | null;
      exposed_at: Timestamp;
      converted_at: NullableTimestamp;
    };
  }
}
