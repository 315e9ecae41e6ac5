import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../db/schema';
import type { Db } from '../types';

export function getDb(env: Env): Db {
  return drizzle(env.DB, { schema });
}
