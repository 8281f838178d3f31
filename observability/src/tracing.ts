/**
 * OpenTelemetry tracing, off by default: `startTracing` starts `@opentelemetry/sdk-node` (HTTP server and
 * client, fetch/undici and pg spans, exported over OTLP) only when the standard OTEL_* variables ask
 * for it, and otherwise loads none of the SDK. The SDK reads its own settings from the environment
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_TRACES_EXPORTER,
 * OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER …).
 */

type Env = Record<string, string | undefined>

/** True when the OTEL_* variables ask for traces: an OTLP endpoint, or a traces exporter other than none. */
export function tracingEnabled(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase()
  if (exporter === 'none') return false
  return Boolean(exporter || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim())
}

export interface Tracing {
  /** Flushes the spans not yet exported and stops the SDK. */
  shutdown(): Promise<void>
}

const KEY = Symbol.for('bizosaas.observability.tracing')

/**
 * Starts tracing for `service` when `tracingEnabled(env)`, once per process; undefined when off. The
 * service name is OTEL_SERVICE_NAME when set. Spans are flushed on SIGTERM.
 */
export async function startTracing(service: string, env: Env = process.env): Promise<Tracing | undefined> {
  if (!tracingEnabled(env)) return undefined
  const holder = globalThis as { [KEY]?: Promise<Tracing> }
  holder[KEY] ??= (async () => {
    const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }] = await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-undici'),
      import('@opentelemetry/instrumentation-pg'),
    ])
    const sdk = new NodeSDK({
      serviceName: env.OTEL_SERVICE_NAME?.trim() || service,
      instrumentations: [
        // Health probes and scrapes would be most of the spans.
        new HttpInstrumentation({
          ignoreIncomingRequestHook: (req) => /^\/(metrics|health|api\/health)(\/|$|\?)/.test(req.url ?? ''),
        }),
        new UndiciInstrumentation(),
        new PgInstrumentation(),
      ],
    })
    sdk.start()
    process.once('SIGTERM', () => void sdk.shutdown().catch(() => {}))
    return { shutdown: () => sdk.shutdown() }
  })()
  return holder[KEY]
}
