import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./db/schema.ts', './db/desk-schema.ts', './db/integrations-schema.ts', './db/automation-schema.ts', './db/inventory-schema.ts', './db/deploy-schema.ts'],
  out: './migrations',
});
