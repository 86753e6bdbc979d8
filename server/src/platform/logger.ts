import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

// Database errors carry the user's data: PGlite attaches the query's parameters (params), pg and
// PGlite put row values in detail/where, and data-exception messages (SQLSTATE class 22, e.g.
// `value "..." is out of range`) quote the offending input. None of it reaches the logs; the SQL
// text (parameterised), the code, table, column and constraint stay.
const DATA_FIELDS = ['params', 'parameters', 'detail', 'where', 'internalQuery', 'queryOptions'];
const MAX_DEPTH = 5;

function scrub(e: Record<string, unknown>, depth = 0): Record<string, unknown> {
  for (const f of DATA_FIELDS) if (f in e) e[f] = '[redacted]';
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) {
    for (const f of ['message', 'stack'] as const) {
      if (typeof e[f] === 'string') e[f] = (e[f] as string).replace(/"[^"\n]*"/g, '"[redacted]"');
    }
  }
  const inner = (x: unknown) => {
    if (!x || typeof x !== 'object') return x;
    return scrub({ ...(x as Record<string, unknown>) }, depth + 1);
  };
  if (depth < MAX_DEPTH && e.cause) e.cause = inner(e.cause);
  if (depth < MAX_DEPTH && Array.isArray(e.aggregateErrors)) e.aggregateErrors = e.aggregateErrors.map(inner);
  return e;
}

/** pino's error serializer, without the user data database errors carry. */
export function errorSerializer(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return scrub({ ...(pino.stdSerializers.err(err) as unknown as Record<string, unknown>) });
}

/** The node's logger; `destination` (tests) replaces stdout. */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logPretty' | 'nodeId'>,
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { node: config.nodeId },
    serializers: { err: errorSerializer, error: errorSerializer },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.params',
        '*.parameters',
      ],
      censor: '[redacted]',
    },
    ...(config.logPretty && !destination
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,node' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
