import type { CloudWatchClient, DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch'
import type { AlarmSelector } from '../../../inputs/types.js'
import type { AlarmReader, AlarmState } from './alarms.js'

// DescribeAlarms takes at most 100 names a call.
const MAX_NAMES = 100

/** DescribeAlarms of metric and composite alarms, by names (in batches) and by each prefix, every page. */
export async function cloudWatchAlarmReader(client: CloudWatchClient): Promise<AlarmReader> {
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch')
  const describe = async (input: DescribeAlarmsCommandInput): Promise<AlarmState[]> => {
    const found: AlarmState[] = []
    let token: string | undefined
    do {
      const answer = await client.send(
        new DescribeAlarmsCommand({
          ...input,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          NextToken: token,
        }),
      )
      for (const alarm of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])])
        found.push({
          name: alarm.AlarmName ?? '?',
          state: alarm.StateValue ?? '?',
          reason: alarm.StateReason ?? '',
        })
      token = answer.NextToken
    } while (token !== undefined && token !== '')
    return found
  }
  return async (selectors: readonly AlarmSelector[]) => {
    const names = selectors.flatMap((s) => (s.kind === 'name' ? [s.name] : []))
    const prefixes = selectors.flatMap((s) => (s.kind === 'prefix' ? [s.prefix] : []))
    const batches: DescribeAlarmsCommandInput[] = [
      ...chunks(names, MAX_NAMES).map((batch) => ({ AlarmNames: batch })),
      ...prefixes.map((prefix) => ({ AlarmNamePrefix: prefix })),
    ]
    const all = (await Promise.all(batches.map(describe))).flat()
    return [...new Map(all.map((alarm) => [alarm.name, alarm])).values()]
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size))
  return out
}
