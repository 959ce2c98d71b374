// The one place where a turn's instance is decided (issue 18): with several instances on one Redis, a conversation's
// turns run on the instance holding its live agent session. A turn that arrives elsewhere is forwarded there whole
// (the client's key, headers and body; the owner's answer relayed as it comes); an owner that is gone, or does not
// take the request in time, is taken over here, and the turn resumes or re-seeds the conversation on this instance.
// Every agent surface calls `runsHere` with the conversation's key before it starts anything.
import type { OwnerRoute } from '../engine/session-ownership.js';
import { GatewayError } from '../errors.js';
import type { OperationCall } from '../http/operation.js';
import type { Services } from './services.js';

type RoutedCall = Pick<OperationCall, 'req' | 'res' | 'ctx' | 'body'>;

/** Forwarding gives up after this many owners in a row failed; the turn then runs here. */
const MAX_FORWARDS = 2;

/**
 * Resolves true when the turn of conversation `key` runs here; false once the owner's answer was relayed to the
 * client (the handler returns at once). A request another instance forwarded here runs here, and keeps the
 * conversation this instance's (or makes it so when nobody holds it), unless it arrives after its sender gave up.
 */
export async function runsHere(services: Services, call: RoutedCall, key: string): Promise<boolean> {
  const { sessionOwnership: ownership, peers, logger, metrics } = services;
  if (!peers || !ownership.shared) return true;
  const { req, res, ctx } = call;
  if (peers.isForwarded(req.headers)) {
    // The forwarding instance gave up waiting (this one was stopped, or too slow) and runs the turn itself: a 503
    // before any acknowledgement tells one that still waits (clock skew) to do so.
    if (ctx.signal.aborted || peers.isLate(req.headers)) {
      throw GatewayError.agentUnavailable('this instance took too long to take the forwarded turn');
    }
    peers.acknowledge(res); // the forwarding instance waits for this, not for the turn
    // Written while the turn starts: it only has to land before this turn's answer lets the next one come.
    ownership.renew(key).catch((error: Error) => logger.warn({ err: error.message }, 'session claim failed'));
    return true;
  }
  const claimHere = (error: Error): OwnerRoute => {
    // Without the ownership record the turn still runs: here, as a single instance would run it.
    logger.warn({ err: error.message }, 'session owner unknown; running the turn here');
    return { kind: 'local' };
  };
  let route = await ownership.route(key).catch(claimHere);
  for (let forwards = 0; route.kind === 'forward'; forwards++) {
    if (forwards === MAX_FORWARDS) {
      route = await ownership.claim(key).then((): OwnerRoute => ({ kind: 'local' }), claimHere);
      break;
    }
    const peer = { url: route.url, body: call.body, requestId: ctx.requestId, signal: ctx.signal };
    const outcome = await peers.forward(req, res, peer);
    if (outcome.kind === 'relayed') {
      metrics.sessionTurnForwarded('relayed');
      logger.debug({ owner: route.instance, status: outcome.status }, 'turn forwarded to the session owner');
      return false;
    }
    if (outcome.kind === 'lost') {
      metrics.sessionTurnForwarded('lost');
      logger.warn({ owner: route.instance, err: outcome.detail }, 'session owner went away during a forwarded turn');
      if (res.headersSent) return false;
      throw GatewayError.agentUnavailable('the gateway instance running this conversation went away; retry');
    }
    logger.warn(
      { owner: route.instance, url: route.url, reason: outcome.reason, err: outcome.detail },
      'session owner did not take the turn; taking the conversation over',
    );
    metrics.sessionTakenOver(outcome.reason);
    route = await ownership.takeOver(key, route.instance).catch(claimHere);
  }
  if (route.kind === 'local' && route.takenFrom) {
    logger.info({ owner: route.takenFrom }, 'session owner is gone; conversation taken over');
    metrics.sessionTakenOver('gone');
  }
  return true;
}
