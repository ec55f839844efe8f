import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Request logs carry method, path (query string dropped: links carry tokens in it), status and timing.
 * Headers and bodies are never logged, and any field that could hold a secret is redacted as a second line of defence.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.newPassword',
          '*.oldPassword',
          '*.refreshJwt',
          '*.sessionJwt',
          '*.managementKey',
          '*.cleartext',
          '*.code',
          '*.token',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
          method: req.method,
          path: req.url.split('?')[0],
          remoteAddress: req.ip,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
