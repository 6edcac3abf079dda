/**
 * A subscription made on a session, resolved once the server created it (or rejected with the
 * server's refusal). Not session.createSubscription2: its own 'started' listener asserts the
 * subscription's session, and node-opcua's getter asserts that the session is still there. A session
 * closed between the server's answer and that listener (a failover switching endpoints, a link lost
 * and closed, a level watch made just as its connection ended) threw "expecting a valid session"
 * from a timer: an uncaught exception, which ends the station's process. This listener reads nothing
 * of the session; whoever uses the subscription next finds the session gone as an ordinary error.
 */
import { ClientSubscription, type ClientSession, type ClientSubscriptionOptions } from 'node-opcua-client';

export function newSubscription(session: ClientSession, options: ClientSubscriptionOptions): Promise<ClientSubscription> {
  return new Promise((resolve, reject) => {
    const subscription = ClientSubscription.create(session, options);
    // node-opcua emits one of the two, once; the 'error' listener stays, as createSubscription2's does, so an
    // 'error' is never one without a listener (which Node throws).
    subscription.once('started', () => resolve(subscription));
    subscription.on('error', (err: Error) => reject(err));
  });
}
