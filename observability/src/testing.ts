/**
 * For tests of any service's `/metrics`: parses Prometheus text (parse-prometheus-text-format, which
 * throws on malformed input) and reads samples and histogram counts from it. That parser folds a
 * histogram's series into one (prom2json's shape, without their labels), so histograms are read a
 * second time as plain series: `<name>_count{labels}`, `<name>_bucket{…}`, `<name>_sum{…}`.
 */
import { createRequire } from 'node:module'

// Loaded with require: the package ships CommonJS without types, and the apps that import this (their
// e2e tests) type-check it in their own programs, where an ambient declaration here would not be seen.
const parsePrometheusTextFormat = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => MetricFamily[]

export interface MetricFamily {
  name: string
  help: string
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
  metrics: {
    value?: string
    count?: string
    sum?: string
    buckets?: Record<string, string>
    labels?: Record<string, string>
  }[]
}

/** Parses Prometheus text format, throwing when it is not. */
export function parseMetrics(text: string): Map<string, MetricFamily> {
  const parse = parsePrometheusTextFormat
  const typed = parse(text)
  const series = parse(text.replace(/^# TYPE \S+ (histogram|summary)$/gm, ''))
  // Series of one histogram come one label set at a time, so `<name>_count` starts a family each time.
  const families = new Map<string, MetricFamily>()
  for (const family of [...series, ...typed]) {
    const seen = families.get(family.name)
    if (seen && seen.type === family.type) seen.metrics.push(...family.metrics)
    else families.set(family.name, family)
  }
  return families
}

const matches = (labels: Record<string, string> | undefined, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => labels?.[k] === v)

/** The value of the sample of `name` with (at least) `labels`, or undefined. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const metric = families.get(name)?.metrics.find((m) => matches(m.labels, labels))
  return metric?.value === undefined ? undefined : Number(metric.value)
}

/** The total count of the histogram `name` over its series with (at least) `labels`. */
export function histogramCount(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  return (families.get(`${name}_count`)?.metrics ?? [])
    .filter((m) => matches(m.labels, labels))
    .reduce((sum, m) => sum + Number(m.value ?? 0), 0)
}
