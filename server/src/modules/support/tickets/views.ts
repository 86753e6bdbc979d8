// How a ticket looks to the shop's console.
import type { Selectable } from 'kysely';
import type { Database } from '../../../platform/db/types.ts';
import './tables.ts';

export function ticketView(t: Selectable<Database['support_tickets']>) {
  return {
    id: t.id,
    merchantId: t.merchant_id,
    userId: t.user_id,
    conversationId: t.conversation_id,
    source: t.source,
    category: t.category,
    reason: t.reason,
    priority: t.priority,
    status: t.status,
    assigneeId: t.assignee_id,
    firstResponseDueAt: t.first_response_due_at,
    resolutionDueAt: t.resolution_due_at,
    firstRespondedAt: t.first_responded_at,
    resolvedAt: t.resolved_at,
    firstResponseBreached: t.first_response_breached,
    resolutionBreached: t.resolution_breached,
    escalations: t.escalations,
    resolutionNote: t.resolution_note,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}
