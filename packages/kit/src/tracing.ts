import {
  context,
  diag,
  DiagLogLevel,
  trace,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import type { BasicTracerProvider as BasicTracerProviderType } from '@opentelemetry/sdk-trace-base';
import type { EnvReader } from './config';
import type { Logger } from './log';

export { SpanKind };
export type { Span };

/** The W3C Trace Context header that carries a trace across services (and in outbox rows). */
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * Where spans go: OTLP over HTTP, JSON-encoded (what `@opentelemetry/exporter-trace-otlp-http` sends).
 * Undefined when tracing is off, which is the default.
 */
export interface TracingConfig {
  /** The traces endpoint, e.g. `http://collector:4318/v1/traces`. */
  url: string;
  /** Extra request headers (OTEL_EXPORTER_OTLP_HEADERS: an API key of a hosted backend). */
  headers?: Record<string, string>;
  /** How long one export may take, retries included (OTEL_EXPORTER_OTLP_TIMEOUT; the exporter's 10 s when absent). */
  timeoutMs?: number;
}

const SUPPORTED_PROTOCOLS = ['http/json'];

/**
 * The standard OpenTelemetry variables, read once at the edge: tracing is on when `OTEL_TRACES_EXPORTER`
 * names `otlp` or an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`
 * with `/v1/traces` appended), and off when `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`.
 * The exporter itself reads `OTEL_EXPORTER_OTLP_COMPRESSION`, the provider `OTEL_TRACES_SAMPLER`/`_ARG` and the
 * batch processor `OTEL_BSP_*`.
 */
export function tracingConfigFromEnv(r: EnvReader): TracingConfig | undefined {
  if (r.optional('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const exporters = r.list('OTEL_TRACES_EXPORTER');
  const unsupported = exporters.filter((e) => e !== 'otlp' && e !== 'none');
  if (unsupported.length) r.invalid(`OTEL_TRACES_EXPORTER must be otlp or none (got "${unsupported.join(',')}")`);
  if (exporters.includes('none')) return undefined;
  const tracesEndpoint = r.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = r.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!exporters.includes('otlp') && !tracesEndpoint && !endpoint) return undefined;
  const protocol = r.optional('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? r.optional('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol && !SUPPORTED_PROTOCOLS.includes(protocol))
    r.invalid(`OTEL_EXPORTER_OTLP_PROTOCOL: Cockpit exports traces as OTLP/HTTP JSON (http/json), not "${protocol}"`);
  const headers = otlpHeaders(
    r,
    r.optional('OTEL_EXPORTER_OTLP_TRACES_HEADERS') ? 'OTEL_EXPORTER_OTLP_TRACES_HEADERS' : 'OTEL_EXPORTER_OTLP_HEADERS',
  );
  const timeoutVar = r.optional('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT' : 'OTEL_EXPORTER_OTLP_TIMEOUT';
  const timeoutMs = r.optional(timeoutVar) ? r.int(timeoutVar, 10_000, 1, 600_000) : undefined;
  const url = tracesEndpoint ?? (endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : 'http://localhost:4318/v1/traces');
  return { url, ...(headers && { headers }), ...(timeoutMs !== undefined && { timeoutMs }) };
}

/** `key=value,key2=value2`, values URL-encoded (the OTLP exporter specification's format). */
function otlpHeaders(r: EnvReader, name: string): Record<string, string> | undefined {
  const raw = r.optional(name);
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) {
      r.invalid(`${name} must be key=value pairs separated by commas`);
      return undefined;
    }
    try {
      out[decodeURIComponent(part.slice(0, at).trim())] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      r.invalid(`${name} has a malformed URL-encoded value`);
      return undefined;
    }
  }
  return out;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /**
   * The parent: a `traceparent` value (an incoming request's, an outbox row's); `null` for a new trace.
   * Absent: the active span, if any.
   */
  parent?: string | null;
}

/**
 * One service's tracer. Off (`NO_TRACING`) it runs `fn` as it is and loads no SDK module; on, it
 * exports to the configured endpoint through a batch span processor and its own provider, whose
 * `service.name` is the service's (the services of `cockpit up` may share one process).
 */
export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` in a span, active for what `fn` starts; an error thrown ends it with ERROR status and is rethrown. */
  span<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T>;
  /** The active span's `traceparent` (undefined when off or outside any span). */
  traceparent(): string | undefined;
  /** Adds the active span's `traceparent` to outgoing `headers`. */
  inject(headers: Record<string, string>): void;
  /** Sets attributes on the active span (the operation's name, once known). */
  annotate(attributes: Attributes): void;
  /** Exports what has ended so far. */
  forceFlush(): Promise<void>;
  /** Exports what is left and stops (the service's drain). */
  shutdown(): Promise<void>;
}

const NOOP_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Tracing off: every method is a pass-through. */
export const NO_TRACING: Tracing = {
  enabled: false,
  span: (_name, _options, fn) => fn(NOOP_SPAN),
  traceparent: () => undefined,
  inject: () => {},
  annotate: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

/**
 * The tracer of `service` (gateway, identity, …): NO_TRACING unless `config` is given. The SDK's own
 * warnings (an export that failed: the collector unreachable, refusing) go to `log`.
 */
export function createTracing(service: string, config: TracingConfig | undefined, log?: Logger): Tracing {
  return config ? new SdkTracing(service, config, log) : NO_TRACING;
}

const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** Loaded on first use: a process with tracing off never loads the SDK, its exporter or its context manager. */
function sdkModules() {
  return {
    trace: require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base'),
    exporter: require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http'),
    resources: require('@opentelemetry/resources') as typeof import('@opentelemetry/resources'),
    core: require('@opentelemetry/core') as typeof import('@opentelemetry/core'),
    contextManager: require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks'),
  };
}

/** How long a stopping service waits for its last spans to be exported. */
const SHUTDOWN_BOUND_MS = 2000;
let contextManagerSet = false;
let diagLoggerSet = false;

class SdkTracing implements Tracing {
  readonly enabled = true;
  private readonly provider: BasicTracerProviderType;
  private readonly tracer: Tracer;
  private readonly propagator: InstanceType<ReturnType<typeof sdkModules>['core']['W3CTraceContextPropagator']>;

  constructor(
    service: string,
    config: TracingConfig,
    private readonly log?: Logger,
  ) {
    const m = sdkModules();
    // the SDK reports through one process-wide diagnostic logger: the first traced service's log, warnings and errors only
    if (log && !diagLoggerSet) {
      const warn = (msg: string) => log.warn({ otel: String(msg).slice(0, 500) }, 'tracing: the OpenTelemetry SDK reported a problem');
      diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
      diagLoggerSet = true;
    }
    // one context manager per process (AsyncLocalStorage), shared by every service in it; each has its own provider
    if (!contextManagerSet) {
      context.setGlobalContextManager(new m.contextManager.AsyncLocalStorageContextManager().enable());
      contextManagerSet = true;
    }
    this.provider = new m.trace.BasicTracerProvider({
      resource: m.resources.resourceFromAttributes({ 'service.name': service, 'service.namespace': 'cockpit' }),
      spanProcessors: [
        new m.trace.BatchSpanProcessor(
          new m.exporter.OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: config.timeoutMs }),
        ),
      ],
    });
    this.tracer = this.provider.getTracer('@cockpit/kit');
    this.propagator = new m.core.W3CTraceContextPropagator();
  }

  private contextOf(traceparent: string | null): Context {
    if (!traceparent) return ROOT_CONTEXT;
    return this.propagator.extract(ROOT_CONTEXT, { [TRACEPARENT_HEADER]: traceparent }, headerGetter);
  }

  span<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
    const parent = options.parent === undefined ? context.active() : this.contextOf(options.parent);
    const span = this.tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
    return context.with(trace.setSpan(parent, span), async () => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  traceparent(): string | undefined {
    const carrier: Record<string, string> = {};
    this.inject(carrier);
    return carrier[TRACEPARENT_HEADER];
  }

  inject(headers: Record<string, string>): void {
    this.propagator.inject(context.active(), headers, headerSetter);
  }

  annotate(attributes: Attributes): void {
    trace.getSpan(context.active())?.setAttributes(attributes);
  }

  forceFlush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /** Bounded and never failing: an unreachable collector costs the drain at most SHUTDOWN_BOUND_MS, not a clean exit. */
  async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), SHUTDOWN_BOUND_MS).unref()));
    const done = this.provider.shutdown().then(
      () => 'done' as const,
      (err: unknown) => {
        this.log?.warn({ err: (err as Error)?.message ?? String(err) }, 'tracing: the last spans could not be exported');
        return 'failed' as const;
      },
    );
    if ((await Promise.race([done, bound])) === 'late')
      this.log?.warn({ boundMs: SHUTDOWN_BOUND_MS }, 'tracing: the last spans were not exported in time');
    clearTimeout(timer);
  }
}
