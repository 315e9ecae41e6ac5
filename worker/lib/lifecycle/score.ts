import type { DeviceLifecycle, Grade, HealthComponent } from '../../../protocol/api/lifecycle';
import {
  COMPONENTS,
  SOURCE_TEXT,
  age,
  alertFrequency,
  diskSpace,
  osSupport,
  sinceOf,
  smartHealth,
  stability,
  warranty,
  type ComponentKey,
  type Judgement,
  type LifecycleInput,
  type Since,
} from './components';
import { addMonths, addYears, dayMs, today, yearsBetween } from './dates';

/*
 * A device's lifecycle from its rows, with no I/O: the weighted health score, its grade, and
 * when the device should be replaced. Pure, so the fleet report scores every device from one
 * query and the tests pin every rule.
 */

export type Lifecycle = Omit<DeviceLifecycle, 'deviceId'>;

export function gradeOf(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  if (score >= 40) return 'D';
  return 'F';
}

/** Parts with nothing to judge drop out; the others' weights are rescaled to sum to 1. */
export function combine(judged: Record<ComponentKey, Judgement>): { score: number; components: HealthComponent[] } {
  const keys = Object.keys(COMPONENTS) as ComponentKey[];
  const counted = keys.reduce((sum, k) => sum + (judged[k].score === null ? 0 : COMPONENTS[k].weight), 0);
  const components = keys.map((key): HealthComponent => {
    const { score, detail } = judged[key];
    const weight = score === null || counted === 0 ? 0 : Math.round((COMPONENTS[key].weight / counted) * 1e4) / 1e4;
    return { key, label: COMPONENTS[key].label, score, weight, detail };
  });
  const total = counted === 0 ? 100 : keys.reduce((sum, k) => sum + (judged[k].score ?? 0) * COMPONENTS[k].weight, 0) / counted;
  return { score: Math.round(total), components };
}

/** How far a poor grade brings the replacement forward: D within a year, F now. */
const BROUGHT_FORWARD: Partial<Record<Grade, number>> = { D: 12, F: 0 };

/** The replacement age from `since`, brought forward by a poor grade, never before today. */
export function forecast(since: Since | null, score: number, now: number, replaceAfterYears: number): { replaceBy: string | null; replaceReason: string } {
  const grade = gradeOf(score);
  const day = today(now);
  const due = since ? addYears(since.date, replaceAfterYears) : null;
  const months = BROUGHT_FORWARD[grade];
  const byHealth = months === undefined ? null : addMonths(day, months);
  const years = `${replaceAfterYears} ${replaceAfterYears === 1 ? 'year' : 'years'}`;
  const ageText = since && `${years} after ${SOURCE_TEXT[since.source]} ${since.date}`;

  if (byHealth !== null && (due === null || byHealth < due)) {
    const when = months === 0 ? 'replace now' : `replace within ${months} months`;
    return { replaceBy: byHealth, replaceReason: `health grade ${grade} (score ${score}): ${when}${due ? `, ahead of ${due} (${ageText})` : ''}` };
  }
  if (due === null) return { replaceBy: null, replaceReason: 'age unknown: record a purchase date to forecast a replacement' };
  const poor = byHealth === null ? '' : `; health grade ${grade} (score ${score})`;
  if (due <= day) return { replaceBy: day, replaceReason: `overdue: ${ageText} was ${due}${poor}` };
  return { replaceBy: due, replaceReason: `${ageText!}${poor}` };
}

/** Score a device at `now` (ms) for a tenant replacing devices after `replaceAfterYears`. */
export function scoreLifecycle(input: LifecycleInput, now: number, replaceAfterYears: number): Lifecycle {
  // A malformed stored date counts as absent rather than as a wrong age.
  const clean: LifecycleInput = {
    ...input,
    purchaseDate: dayMs(input.purchaseDate) === null ? null : input.purchaseDate,
    warrantyStart: dayMs(input.warrantyStart) === null ? null : input.warrantyStart,
    warrantyEnd: dayMs(input.warrantyEnd) === null ? null : input.warrantyEnd,
    firmwareDate: dayMs(input.firmwareDate) === null ? null : input.firmwareDate,
  };
  const since = sinceOf(clean);
  const { score, components } = combine({
    smart: smartHealth(clean),
    disk_space: diskSpace(clean),
    stability: stability(clean),
    alerts: alertFrequency(clean),
    warranty: warranty(clean, now),
    os_eol: osSupport(clean, now),
    age: age(since, now, replaceAfterYears),
  });
  return {
    since: since?.date ?? null,
    sinceSource: since?.source ?? null,
    ageYears: since ? Math.round(Math.max(0, yearsBetween(since.date, now)) * 10) / 10 : null,
    score,
    grade: gradeOf(score),
    components,
    ...forecast(since, score, now, replaceAfterYears),
  };
}
