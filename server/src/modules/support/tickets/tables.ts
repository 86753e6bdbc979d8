// The tickets part's tables (migrations/1240_support_tickets.sql).
import type { Generated } from 'kysely';
import type { CreatedAt, Id, UpdatedAt } from '../../../platform/db/types.ts';

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'open' | 'responded' | 'resolved' | 'closed';
export type TicketCategory = 'dispute' | 'complaint' | 'aftersale' | 'other';
export type SlaTimer = 'first_response' | 'resolution';
export type CompensationStatus = 'proposed' | 'approved' | 'paid' | 'rejected';

declare module '../../../platform/db/types.ts' {
  interface Database {
    support_ticket_settings: {
      merchant_id: number;
      first_response_seconds: number;
      resolution_seconds: number;
      urgent_first_response_seconds: number;
      updated_at: UpdatedAt;
    };
    support_tickets: {
      id: Id;
      merchant_id: number;
      user_id: number;
      conversation_id: number | null;
      source: 'conversation' | 'shop' | 'bot';
      category: TicketCategory;
      reason: string;
      priority: TicketPriority;
      status: Generated<TicketStatus>;
      assignee_id: number | null;
      created_by: number | null;
      first_response_due_at: Date;
      resolution_due_at: Date;
      first_responded_at: Date | null;
      resolved_at: Date | null;
      first_response_breached: Generated<boolean>;
      resolution_breached: Generated<boolean>;
      escalations: Generated<number>;
      resolution_note: string | null;
      created_at: CreatedAt;
      updated_at: UpdatedAt;
    };
    support_ticket_log: {
      id: Id;
      ticket_id: number;
      kind: string;
      actor_id: number | null;
      note: Generated<string>;
      created_at: CreatedAt;
    };
    support_compensations: {
      id: Id;
      merchant_id: number;
      ticket_id: number;
      user_id: number;
      amount_fen: number;
      reason: string;
      method: 'coupon';
      status: Generated<CompensationStatus>;
      proposed_by: number;
      approved_by: number | null;
      approved_at: Date | null;
      coupon_template_id: number | null;
      coupon_id: number | null;
      paid_at: Date | null;
      created_at: CreatedAt;
    };
    support_conversation_facts: {
      conversation_id: number;
      merchant_id: number;
      user_id: number;
      opened_at: Date;
      queued_at: Date | null;
      assigned_at: Date | null;
      agent_id: number | null;
      first_shopper_at: Date | null;
      first_agent_reply_at: Date | null;
      bot_answers: Generated<number>;
      handed_over: Generated<boolean>;
      max_emotion: Generated<number>;
      closed_at: Date | null;
      resolved_by: string | null;
      stars: number | null;
    };
  }
}

export const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const LIVE: readonly TicketStatus[] = ['open', 'responded'];

/** One step up the priority ladder (urgent stays urgent). */
export const raised = (p: TicketPriority): TicketPriority =>
  PRIORITIES[Math.min(PRIORITIES.indexOf(p) + 1, PRIORITIES.length - 1)]!;
export const higher = (a: TicketPriority, b: TicketPriority): TicketPriority =>
  PRIORITIES.indexOf(a) >= PRIORITIES.indexOf(b) ? a : b;
