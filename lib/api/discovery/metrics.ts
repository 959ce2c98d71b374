// GET /metrics: the gateway's Prometheus metrics as text (public when the config sets metrics.public).
import type { OperationHandler } from '../../http/operation.js';
import type { Services } from '../services.js';

export function getMetrics(services: Services): OperationHandler {
  return async ({ res }) => {
    const text = await services.metrics.render();
    res.status(200).set('Content-Type', services.metrics.contentType).send(text);
  };
}
