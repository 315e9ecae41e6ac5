import type { Assignment, CreateTicketRuleBody, RuleMatch, TicketRule } from '../../../../protocol/api/ticket-rules';

export type { Assignment, CreateTicketRuleBody, RuleMatch, TicketRule };
export type UserOption = { id: string; name: string };
