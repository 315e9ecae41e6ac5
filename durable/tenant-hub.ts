import { DurableObject } from 'cloudflare:workers';

// TODO: the per-tenant hub (see durable/contracts.ts).
export class TenantHub extends DurableObject<Env> {}
