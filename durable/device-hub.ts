import { DurableObject } from 'cloudflare:workers';

// TODO: the per-device hub (see durable/contracts.ts).
export class DeviceHub extends DurableObject<Env> {}
