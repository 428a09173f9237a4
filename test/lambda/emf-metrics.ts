// Reads CloudWatch embedded-metric-format lines from a function's output, and the custom-metric alarms of a template.
import type { CfnTemplate } from './synth-assets';

export interface MetricKey {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name -> value: a CloudWatch metric is identified by its full dimension set. */
  readonly dimensions: Readonly<Record<string, string>>;
}

interface EmfLine {
  readonly _aws?: {
    readonly Timestamp?: number;
    readonly CloudWatchMetrics?: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/**
 * The metrics CloudWatch would extract. Only whole lines that are one JSON object count: a line with
 * the runtime's "timestamp requestId INFO" prefix (global console.log) is not extracted, in Lambda too.
 */
export function emfMetrics(lines: readonly string[]): MetricKey[] {
  const metrics: MetricKey[] = [];
  for (const line of lines) {
    if (!line.startsWith('{') || !line.includes('"_aws"')) continue;
    let parsed: EmfLine;
    try {
      parsed = JSON.parse(line) as EmfLine;
    } catch {
      continue;
    }
    const aws = parsed._aws;
    if (!aws || typeof aws.Timestamp !== 'number') continue;
    for (const directive of aws.CloudWatchMetrics ?? []) {
      for (const dimensionSet of directive.Dimensions) {
        const dimensions: Record<string, string> = {};
        for (const name of dimensionSet) {
          const value = parsed[name];
          if (typeof value === 'string') dimensions[name] = value;
        }
        // A dimension without a string value at the top level makes CloudWatch drop the set.
        if (Object.keys(dimensions).length !== dimensionSet.length) continue;
        for (const metric of directive.Metrics) {
          if (parsed[metric.Name] === undefined) continue;
          metrics.push({ namespace: directive.Namespace, metricName: metric.Name, dimensions });
        }
      }
    }
  }
  return metrics;
}

/** Alarms of the template on metrics the functions emit themselves (not AWS/* namespaces). */
export function customMetricAlarms(template: CfnTemplate): (MetricKey & { readonly alarm: string })[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map(([alarm, resource]) => ({ alarm, properties: resource.Properties as Record<string, unknown> }))
    .filter(
      ({ properties }) =>
        typeof properties.Namespace === 'string' && !properties.Namespace.startsWith('AWS/'),
    )
    .map(({ alarm, properties }) => ({
      alarm,
      namespace: properties.Namespace as string,
      metricName: properties.MetricName as string,
      dimensions: Object.fromEntries(
        ((properties.Dimensions ?? []) as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
      ),
    }));
}

export function sameMetric(a: MetricKey, b: MetricKey): boolean {
  const keys = (m: MetricKey) => Object.keys(m.dimensions).sort();
  return (
    a.namespace === b.namespace &&
    a.metricName === b.metricName &&
    JSON.stringify(keys(a)) === JSON.stringify(keys(b)) &&
    keys(a).every((key) => a.dimensions[key] === b.dimensions[key])
  );
}
