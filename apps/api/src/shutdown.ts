import type { Server } from 'node:http';
import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { WEBHOOK_DELIVER_QUEUE } from '@secusign/webhooks';
import { SIGNATURE_QUEUE } from '@secusign/workflow';

/** Bull queues whose processors may run in this process. */
const PROCESSED_QUEUES = [SIGNATURE_QUEUE, WEBHOOK_DELIVER_QUEUE];

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Stops the process cleanly on SIGTERM or SIGINT, then exits with code 0:
 * 1. the HTTP server stops accepting connections and finishes the requests in flight, whose
 *    responses carry `Connection: close`;
 * 2. meanwhile each Bull queue stops taking jobs and waits for its active jobs, so a signature
 *    in progress is committed;
 * 3. the application closes (queues, database pool, Redis connections).
 * Past `timeoutMs` it closes the remaining connections and exits with code 1; Bull then hands
 * the unfinished jobs to another worker once their lock expires.
 */
export function installGracefulShutdown(app: INestApplicationContext, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  let started = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (started) {
      return;
    }
    started = true;
    const server = httpServerOf(app);
    logger.log({ signal, timeout_ms: timeoutMs }, server ? 'shutting down: draining HTTP requests and finishing active jobs' : 'shutting down: finishing active jobs');
    const timer = setTimeout(() => {
      logger.error({ signal, timeout_ms: timeoutMs }, 'shutdown timed out; closing the remaining connections and exiting');
      server?.closeAllConnections();
      process.exit(1);
    }, timeoutMs);
    timer.unref();

    try {
      await Promise.all([drainHttp(server), ...queuesOf(app).map((queue) => stopTakingJobs(queue, logger))]);
      await app.close();
      logger.log('shutdown complete');
      clearTimeout(timer);
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };

  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, (received: NodeJS.Signals) => void shutdown(received));
  }
}

function httpServerOf(app: INestApplicationContext): Server | null {
  const candidate = app as Partial<INestApplication>;

  return typeof candidate.getHttpServer === 'function' ? (candidate.getHttpServer() as Server) : null;
}

/** Resolves once the server has stopped listening and every connection has ended. */
function drainHttp(server: Server | null): Promise<void> {
  if (!server?.listening) {
    return Promise.resolve();
  }
  server.on('request', (_request, response) => response.setHeader('Connection', 'close'));

  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections without a request in flight would hold close() open.
    server.closeIdleConnections();
  });
}

function queuesOf(app: INestApplicationContext): Queue[] {
  return PROCESSED_QUEUES.flatMap((name) => {
    try {
      return [app.get<Queue>(getQueueToken(name), { strict: false })];
    } catch {
      // This process does not register the queue (the API without the worker).
      return [];
    }
  });
}

/** Pauses the queue in this process only; Bull's local pause resolves when the active jobs have finished. */
async function stopTakingJobs(queue: Queue, logger: Logger): Promise<void> {
  const active = await queue.getActiveCount().catch(() => null);
  logger.log({ queue: queue.name, active_jobs_in_queue: active }, 'queue stops taking jobs; waiting for the active ones');
  await queue.pause(true);
}
